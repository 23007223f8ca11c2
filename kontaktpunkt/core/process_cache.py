"""A value built from the database once per process and rebuilt when the data behind it changed.

The point index, the gazetteer and the category index are such values: cheap to query, costly to build.
A fingerprint (e.g. row counts and highest ids) tells when to rebuild; after `max_age_s` seconds the
value is rebuilt anyway, so that a change the fingerprint cannot see (an update in another process)
arrives at the latest then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    fingerprint: Hashable
    built_at: float


class ProcessCache(Generic[T]):
    def __init__(
        self, *, build: Callable[[], T], fingerprint: Callable[[], Hashable], max_age_s: float
    ) -> None:
        self._build = build
        self._fingerprint = fingerprint
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._entry: _Entry[T] | None = None

    def get(self) -> T:
        """The cached value, rebuilt first when the fingerprint changed or the value grew old."""
        fingerprint = self._fingerprint()
        with self._lock:
            entry = self._entry
            if (
                entry is not None
                and entry.fingerprint == fingerprint
                and time.monotonic() - entry.built_at < self.max_age_s
            ):
                return entry.value
            value = self._build()
            self._entry = _Entry(value=value, fingerprint=fingerprint, built_at=time.monotonic())
            return value

    def invalidate(self) -> None:
        """Forget the value: the next get() builds it anew."""
        with self._lock:
            self._entry = None
