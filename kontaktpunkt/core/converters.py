"""URL path converters shared by the apps."""

from __future__ import annotations


class ReferenceConverter:
    """A concern reference such as KP-2026-000123: letters, digits and hyphens only.

    Anything else (a NUL byte, a slash, unicode) never reaches the database: the URL does not match (404).
    """

    regex = r"[A-Za-z0-9][A-Za-z0-9-]{0,29}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
