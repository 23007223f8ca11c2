"""Corrections as corpus lines: the text with contact details masked, and the JSONL export format.

An exported line is a corpus line (`{"text", "category", "urgency"}`, see corpus.py) with two more
keys for the person who reviews it before it joins a corpus file: what the classifier had suggested
and when the correction was made. The corpus reader ignores the extra keys.

Masking catches what has a shape: e-mail addresses and phone numbers (six digits or more, with
spaces, slashes, hyphens or brackets between them, not dots, so that dates stay). Names cannot be
recognised reliably, which is why an export is reviewed before it extends the corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from django.utils import timezone

from kontaktpunkt.classify.models import Correction

EMAIL_MASK = "[E-Mail]"
PHONE_MASK = "[Telefon]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d /()-]{4,}\d(?![\w.])")
_PHONE_DIGITS = 6


def text_redact(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by placeholders."""
    masked = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(
        lambda m: PHONE_MASK if sum(c.isdigit() for c in m.group()) >= _PHONE_DIGITS else m.group(),
        masked,
    ).strip()


def correction_line(row: Correction) -> str:
    """One JSONL line (without the newline) for a stored correction."""
    return json.dumps(
        {
            "text": row.text,
            "category": row.final_code,
            "urgency": row.urgency,
            "suggested": row.suggested_code,
            "at": timezone.localtime(row.at).isoformat(timespec="minutes"),
        },
        ensure_ascii=False,
    )


def correction_lines(rows: Iterable[Correction]) -> Iterator[str]:
    for row in rows:
        yield correction_line(row) + "\n"
