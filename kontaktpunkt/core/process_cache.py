"""A value built from the database once per process and rebuilt when the data behind it changed.

The point index, the gazetteer and the category index are such values: cheap to query, costly to build.
A fingerprint (e.g. row counts and highest ids) tells when to rebuild; after `max_age_s` seconds the
value is rebuilt anyway, so that a change the fingerprint cannot see (an update in another process)
arrives at the latest then. On hot paths (the Open311 POST) `recheck_s` spares the fingerprint's
round trip for that many seconds after a check.

Every cache registers itself, so that `process_caches_clear()` empties them all (the tests do that
around each test, whose database is rolled back); other per-process memories join with
`process_cache_on_clear`.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_caches: weakref.WeakSet[ProcessCache[Any]] = weakref.WeakSet()
_on_clear: list[Callable[[], None]] = []


def process_caches_clear() -> None:
    """Forget every cached value of this process."""
    for cache in list(_caches):
        cache.invalidate()
    for forget in _on_clear:
        forget()


def process_cache_on_clear(forget: Callable[[], None]) -> None:
    """Have `forget` called by process_caches_clear (for a memory that is not a ProcessCache)."""
    _on_clear.append(forget)


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    fingerprint: Hashable
    built_at: float


class ProcessCache(Generic[T]):
    def __init__(
        self,
        *,
        build: Callable[[], T],
        fingerprint: Callable[[], Hashable],
        max_age_s: float,
        recheck_s: Callable[[], float] | float = 0.0,
    ) -> None:
        self._build = build
        self._fingerprint = fingerprint
        self.max_age_s = max_age_s
        self._recheck_s = recheck_s
        self._lock = threading.Lock()
        self._entry: _Entry[T] | None = None
        self._checked_at = 0.0
        _caches.add(self)

    def get(self) -> T:
        """The cached value, rebuilt first when the fingerprint changed or the value grew old."""
        entry = self._entry
        now = time.monotonic()
        if (
            entry is not None
            and now - self._checked_at < self._recheck()
            and now - entry.built_at < self.max_age_s
        ):
            return entry.value
        fingerprint = self._fingerprint()
        with self._lock:
            self._checked_at = time.monotonic()
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
            self._checked_at = 0.0

    def _recheck(self) -> float:
        return self._recheck_s() if callable(self._recheck_s) else self._recheck_s
