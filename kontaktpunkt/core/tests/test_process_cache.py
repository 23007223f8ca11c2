from __future__ import annotations

from kontaktpunkt.core import process_cache
from kontaktpunkt.core.process_cache import (
    ProcessCache,
    process_cache_on_clear,
    process_caches_clear,
)


def _counting_cache(
    fingerprint: list[int], max_age_s: float = 60.0
) -> tuple[ProcessCache[int], list[int]]:
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    return ProcessCache(
        build=build, fingerprint=lambda: fingerprint[0], max_age_s=max_age_s
    ), builds


def test_the_value_is_built_once_while_the_fingerprint_stays():
    cache, builds = _counting_cache([1])
    assert [cache.get(), cache.get(), cache.get()] == [1, 1, 1]
    assert len(builds) == 1


def test_a_changed_fingerprint_rebuilds_the_value():
    fingerprint = [1]
    cache, _ = _counting_cache(fingerprint)
    cache.get()
    fingerprint[0] = 2
    assert cache.get() == 2


def test_an_old_value_is_rebuilt_even_when_the_fingerprint_stays(monkeypatch):
    cache, _ = _counting_cache([1], max_age_s=10)
    clock = [100.0]
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: clock[0])
    cache.get()
    clock[0] += 11
    assert cache.get() == 2


def test_invalidating_rebuilds_on_the_next_get():
    cache, _ = _counting_cache([1])
    cache.get()
    cache.invalidate()
    assert cache.get() == 2


def test_within_the_recheck_time_the_fingerprint_is_not_asked_again():
    asked: list[int] = []

    def fingerprint() -> int:
        asked.append(1)
        return 1

    cache = ProcessCache(build=lambda: 7, fingerprint=fingerprint, max_age_s=60, recheck_s=30)

    cache.get()
    cache.get()
    cache.get()

    assert len(asked) == 1


def test_clearing_all_process_caches_forgets_every_value_and_calls_the_other_memories():
    cache, builds = _counting_cache([1])
    forgotten: list[bool] = []
    process_cache_on_clear(lambda: forgotten.append(True))

    cache.get()
    process_caches_clear()
    cache.get()

    assert len(builds) == 2
    assert forgotten
