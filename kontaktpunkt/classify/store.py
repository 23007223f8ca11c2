"""Model files: joblib dumps named by a fingerprint of corpus, taxonomy, code version and seed.

A stored classifier holds dicts and numpy arrays only, so loading it imports neither
scikit-learn nor scipy (which alone can take seconds on a busy machine).

A changed corpus (or taxonomy, model code version, scikit-learn version or seed) gives another
file name, so the current model is simply the file with the current fingerprint; anything else
in the directory is stale and `train()` replaces it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

import joblib  # type: ignore[import-untyped]

from kontaktpunkt.classify.corpus import CORPUS_DIRECTORY, corpus_fingerprint
from kontaktpunkt.classify.model import MODEL_VERSION, Classifier
from kontaktpunkt.classify.taxonomy import TAXONOMY_PATH, taxonomy_digest_source

PREFIX = "classifier-"
SUFFIX = ".joblib"


class StoreError(RuntimeError):
    pass


def model_fingerprint(
    *, seed: int, corpus_directory: Path = CORPUS_DIRECTORY, taxonomy_path: Path = TAXONOMY_PATH
) -> str:
    digest = hashlib.sha256()
    for part in (
        corpus_fingerprint(directory=corpus_directory).encode(),
        taxonomy_digest_source(taxonomy_path),
        f"model {MODEL_VERSION}; scikit-learn {version('scikit-learn')}; seed {seed}".encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def model_path(*, directory: Path, fingerprint: str) -> Path:
    return directory / f"{PREFIX}{fingerprint}{SUFFIX}"


def model_save(classifier: Classifier, *, directory: Path, fingerprint: str) -> Path:
    """Write the model atomically (a temporary file renamed into place) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = model_path(directory=directory, fingerprint=fingerprint)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=SUFFIX)
    os.close(handle)
    try:
        joblib.dump(classifier, temporary)
        Path(temporary).chmod(0o644)  # mkstemp makes it private; the web server must read it
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def model_load(path: Path) -> Classifier:
    """Read a model file written by model_save(); it must be of the current model version."""
    try:
        classifier = joblib.load(path)
    except Exception as exc:  # a damaged pickle can raise nearly anything
        raise StoreError(f"cannot read the model {path}: {exc!r}") from exc
    if not isinstance(classifier, Classifier) or classifier.version != MODEL_VERSION:
        raise StoreError(f"{path} is not a classifier of model version {MODEL_VERSION}")
    return classifier


def model_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}")) if directory.is_dir() else []


def model_current_path(*, directory: Path, seed: int) -> Path | None:
    """The path of the model for the current corpus and code, if it has been trained."""
    path = model_path(directory=directory, fingerprint=model_fingerprint(seed=seed))
    return path if path.is_file() else None
