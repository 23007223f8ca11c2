"""`kontaktpunkt classify_train`: the classifier model for the current corpus, trained if missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kontaktpunkt.classify.corpus import SEED
from kontaktpunkt.classify.loader import model_directory
from kontaktpunkt.classify.store import model_current_path


class Command(BaseCommand):
    help = (
        "Train the text classifier on the corpus in the repository (fixed seed) into the data "
        "directory. Does nothing when the model of the current corpus exists, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Train again although the model is up to date."
        )
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Model folder (default: the data directory's classify/ folder).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"] or model_directory()
        current = model_current_path(directory=directory, seed=SEED)
        if current is not None and not options["force"]:
            self._progress(f"model up to date: {current}")
            return
        from kontaktpunkt.classify.training import train  # scikit-learn: only when training

        train(directory=directory, seed=SEED, progress=self._progress, force=options["force"])

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
