from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KP_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import kontaktpunkt.config.settings as s; print(s.DEBUG, s.SECRET_KEY[:4])",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_settings(KP_ENV="production")
    assert result.returncode != 0
    assert "KP_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = _load_settings(KP_ENV="production", KP_SECRET_KEY="x" * 50, KP_DEBUG="true")
    assert result.returncode != 0
    assert "KP_DEBUG" in result.stderr


def test_production_starts_with_a_secret_key_and_debug_off():
    result = _load_settings(KP_ENV="production", KP_SECRET_KEY="s3cr3t" * 10)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "s3cr"]


def test_a_malformed_boolean_is_a_clear_error():
    result = _load_settings(KP_DEBUG="vielleicht")
    assert result.returncode != 0
    assert "KP_DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("false", False), ("On", True), ("no", False)]
)
def test_booleans_are_read_in_their_usual_spellings(raw, expected):
    from kontaktpunkt.config.env import env_bool

    assert env_bool("X", default=not expected, environ={"X": raw}) is expected


def test_an_unset_variable_takes_its_default():
    from kontaktpunkt.config.env import env_bool, env_int, env_list

    assert env_bool("X", default=True, environ={}) is True
    assert env_int("X", 5, environ={}) == 5
    assert env_list("X", ["a"], environ={}) == ["a"]
    assert env_list("X", [], environ={"X": "a, b ,,c"}) == ["a", "b", "c"]
