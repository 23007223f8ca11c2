"""`kontaktpunkt classify_evaluate`: the classifier measured on a held-out split of the corpus."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kontaktpunkt.classify.corpus import SEED, TEST_SIZE
from kontaktpunkt.classify.evaluate import evaluate, report_as_dict, report_format


class Command(BaseCommand):
    help = (
        "Fit the classifier on a stratified part of the corpus (fixed seed) and print per-class "
        "precision, recall and F1, the confusions and the keyword baseline for the rest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=SEED, help="Seed of split and models.")
        parser.add_argument(
            "--test-size", type=float, default=TEST_SIZE, help="Share of the corpus held out."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="The full report as JSON on standard output (progress on standard error).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        stream = self.stderr if as_json else self.stdout

        def progress(message: str) -> None:
            stream.write(message)
            stream.flush()

        report = evaluate(seed=options["seed"], test_size=options["test_size"], progress=progress)
        if as_json:
            self.stdout.write(json.dumps(report_as_dict(report), indent=2))
        else:
            self.stdout.write(report_format(report), ending="")
