"""Command-line entry for the management commands: `main(argv)` with three subcommands.

train --directory DIR [--seed N] [--force]      fit on the whole corpus, store the model
evaluate [--seed N] [--test-size F] [--json]    held-out evaluation beside the baseline
suggest --directory DIR [--near-playground …] TEXT   the top three for one text
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from kontaktpunkt.classify.corpus import SEED, TEST_SIZE
from kontaktpunkt.classify.evaluate import evaluate, report_as_dict, report_format
from kontaktpunkt.classify.store import StoreError, model_current_path, model_load
from kontaktpunkt.classify.suggestion import PlaceContext, Suggestion
from kontaktpunkt.classify.training import train
from kontaktpunkt.classify.urgency import urgency_raise_for_context

_PLACES = ("playground", "school", "kindergarten", "youth_centre")


def parser_make() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="classify", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    train_parser = commands.add_parser("train", help="train the model on the whole corpus")
    train_parser.add_argument("--directory", type=Path, required=True, help="model folder")
    train_parser.add_argument("--seed", type=int, default=SEED)
    train_parser.add_argument("--force", action="store_true", help="train even if up to date")

    evaluate_parser = commands.add_parser("evaluate", help="evaluate on a held-out split")
    evaluate_parser.add_argument("--seed", type=int, default=SEED)
    evaluate_parser.add_argument("--test-size", type=float, default=TEST_SIZE)
    evaluate_parser.add_argument("--json", action="store_true", help="the full report as JSON")

    suggest_parser = commands.add_parser("suggest", help="suggest categories for one text")
    suggest_parser.add_argument("--directory", type=Path, required=True, help="model folder")
    suggest_parser.add_argument("--seed", type=int, default=SEED)
    for place in _PLACES:
        suggest_parser.add_argument(f"--near-{place.replace('_', '-')}", action="store_true")
    suggest_parser.add_argument("text")
    return parser


def _suggestion_lines(suggestion: Suggestion) -> list[str]:
    lines = [f"{c.confidence:6.1%}  {c.code}  ({c.name})" for c in suggestion.candidates]
    reasons = f" ({', '.join(suggestion.reasons)})" if suggestion.reasons else ""
    lines.append(
        f"field {suggestion.field} {suggestion.field_confidence:.1%}; urgency {suggestion.urgency}{reasons}"
    )
    verdict = "no concern: no candidate fits" if suggestion.is_out_of_scope else "a concern"
    lines.append(f"out of scope {suggestion.out_of_scope:.1%} ({verdict})")
    return lines


def _suggest(args: argparse.Namespace, out: TextIO) -> int:
    path = model_current_path(directory=args.directory, seed=args.seed)
    if path is None:
        out.write(f"no model for the current corpus in {args.directory}: run `train` first\n")
        return 2
    try:
        classifier = model_load(path)
    except StoreError as exc:
        out.write(f"{exc}\n")
        return 2
    context = PlaceContext(**{f"near_{place}": getattr(args, f"near_{place}") for place in _PLACES})
    suggestion = urgency_raise_for_context(classifier.suggest(args.text), context=context)
    out.write("\n".join(_suggestion_lines(suggestion)) + "\n")
    return 0


def _writer(stream: TextIO) -> Callable[[str], None]:
    def write(message: str) -> None:
        stream.write(message + "\n")
        stream.flush()

    return write


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one subcommand. Results go to `out` (standard output), and so does progress, except
    beside `evaluate --json`, where progress goes to `err` (standard error)."""
    stream = out or sys.stdout
    args = parser_make().parse_args(argv)
    progress = _writer(err or sys.stderr) if getattr(args, "json", False) else _writer(stream)

    if args.command == "train":
        train(directory=args.directory, seed=args.seed, progress=progress, force=args.force)
        return 0
    if args.command == "evaluate":
        report = evaluate(seed=args.seed, test_size=args.test_size, progress=progress)
        stream.write(
            json.dumps(report_as_dict(report), indent=2) + "\n"
            if args.json
            else report_format(report)
        )
        return 0
    return _suggest(args, stream)
