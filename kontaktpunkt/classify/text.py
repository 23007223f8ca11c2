"""The one normalisation every model and the keyword baseline see: case, umlauts and noise folded."""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")


def normalize(text: str) -> str:
    """Lower-case, umlauts spelt out, other accents dropped, punctuation gone, "sooo" → "soo".

    ALL CAPS, missing or excessive punctuation and "Strasse" beside "Straße" all come out alike.
    """
    folded = _REPEATS.sub(r"\1\1", text.lower()).translate(_UMLAUTS)
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char)
    )
    return _NON_ALNUM.sub(" ", folded).strip()
