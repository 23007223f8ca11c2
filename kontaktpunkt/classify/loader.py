"""The process's classifier: read once from settings.DATA_DIR / "classify", trained there if missing.

`kontaktpunkt classify_train` writes the model during set-up (make run, make test, a deploy). Should
it be missing anyway (a fresh checkout, a changed corpus), the first call of `classifier()` trains
it, which takes a few seconds and is logged, rather than failing the request. The model file's
name carries a fingerprint of corpus, taxonomy, code version and seed (store.py), so a process
never loads a model of another corpus. Threads of a process share one copy; a second process
training at the same time is harmless (files are written atomically).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kontaktpunkt.classify.corpus import SEED
from kontaktpunkt.classify.model import Classifier
from kontaktpunkt.classify.store import StoreError, model_current_path, model_load

MODEL_SUBDIRECTORY = "classify"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Loaded:
    directory: Path
    classifier: Classifier


_lock = threading.Lock()
_loaded: _Loaded | None = None


def model_directory() -> Path:
    """Where the model lives: a folder of the installation's data directory."""
    return Path(settings.DATA_DIR) / MODEL_SUBDIRECTORY


def classifier() -> Classifier:
    """The classifier of this process; the first call reads it (or trains it, logged)."""
    directory = model_directory()
    found = _cached(directory)
    if found is not None:
        return found
    with _lock:
        found = _cached(directory) or _read(directory)
        if found is None:
            damaged = model_current_path(directory=directory, seed=SEED) is not None
            logger.warning(
                "No usable classifier model in %s: training it now (takes a few seconds).",
                directory,
            )
            from kontaktpunkt.classify.training import train  # scikit-learn: only when training

            path = train(directory=directory, seed=SEED, progress=logger.info, force=damaged)
            found = _remember(directory, model_load(path))
        return found


def classifier_if_trained() -> Classifier | None:
    """The classifier if a model file exists (read once), never training: for use inside a save."""
    directory = model_directory()
    found = _cached(directory)
    if found is not None:
        return found
    with _lock:
        return _cached(directory) or _read(directory)


def classifier_forget() -> None:
    """Drop the process's copy: the next call reads the model file again."""
    global _loaded
    with _lock:
        _loaded = None


def _cached(directory: Path) -> Classifier | None:
    loaded = _loaded
    return loaded.classifier if loaded is not None and loaded.directory == directory else None


def _read(directory: Path) -> Classifier | None:
    path = model_current_path(directory=directory, seed=SEED)
    if path is None:
        return None
    try:
        return _remember(directory, model_load(path))
    except StoreError:
        logger.exception("The classifier model %s cannot be read.", path)
        return None


def _remember(directory: Path, found: Classifier) -> Classifier:
    global _loaded
    _loaded = _Loaded(directory=directory, classifier=found)
    logger.info("Classifier model loaded from %s.", directory)
    return found
