"""Errors that services raise and views turn into HTTP answers."""

from __future__ import annotations


class ConflictError(Exception):
    """A change was based on a version that is no longer current (HTTP 409)."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class NotAllowed(Exception):  # noqa: N818
    """The acting person may not do this (HTTP 403 or 404)."""
