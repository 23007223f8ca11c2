"""A second Kontaktpunkt, in its own process and SQLite database, playing a partner's Open311 server.

`open311_peer` (session scope) migrates a fresh database in a temporary directory, loads the Krefeld
tenant, issues an API key, and serves the app with gunicorn on a free port of 127.0.0.1. `run(code)`
runs Python in the peer's environment (Django set up), e.g. to take in its inbox or close a request
as the partner's staff would; `stop()`/`start()` take the server down and bring it back.

`instance_create` makes such a Kontaktpunkt without serving it (any database URL, extra settings in
the environment): the fault tests run our own side that way, so that its worker is a real process
that can be killed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kontaktpunkt.classify.loader import model_directory
from kontaktpunkt.testing.smtp import HOST, free_port

SETUP = """
from kontaktpunkt.open311.services import api_key_issue
from kontaktpunkt.tenants.loader import tenant_load
tenant_load(name="krefeld")
_key, raw = api_key_issue(client_name="Kontaktpunkt (Weiterleitung)", rate_limit_per_minute=100000, by=None)
print(raw)
"""


@dataclass
class Open311Peer:
    directory: Path
    port: int
    api_key: str = ""
    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}/georeport/v2/"

    def run(self, code: str) -> str:
        """Run `code` in the peer (Django set up); its standard output."""
        program = "import django; django.setup()\n" + code
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", program],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"peer code failed: {done.stderr[-3000:]}")
        return done.stdout

    def holds(self, marker: str) -> int:
        """How many requests (Open311 inbox rows) this server holds whose description has `marker`."""
        out = self.run(
            "from kontaktpunkt.open311.models import Submission\n"
            f"print(sum({marker!r} in str(s.payload.get('description', ''))"
            " for s in Submission.objects.all()))"
        )
        return int(out.strip())

    def take_in(self) -> None:
        """What the peer's worker does: its Open311 inbox becomes concerns."""
        self.run(
            "from kontaktpunkt.open311.services import submissions_intake\nsubmissions_intake()"
        )

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "kontaktpunkt.config.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers), "--threads", "4",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env=self.env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the peer exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(self.endpoint + "discovery.json", timeout=2).close()  # noqa: S310
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the peer did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def services(self) -> list[dict[str, object]]:
        with urllib.request.urlopen(self.endpoint + "services.json", timeout=5) as answer:  # noqa: S310
            data: list[dict[str, object]] = json.loads(answer.read())
        return data


def instance_create(
    directory: Path, *, database_url: str = "", env: Mapping[str, str] | None = None
) -> Open311Peer:
    """A migrated Kontaktpunkt with the Krefeld tenant and an API key, not yet served.

    Its database is an SQLite file in `directory` unless `database_url` names another (an empty
    PostgreSQL database, for instance); `env` adds settings (KP_… variables)."""
    directory.mkdir(parents=True, exist_ok=True)
    trained = model_directory()
    if trained.is_dir():  # the classifier this installation trained, instead of training it again
        shutil.copytree(trained, directory / trained.name, dirs_exist_ok=True)
    instance = Open311Peer(directory=directory, port=free_port())
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    instance.env = {
        **{name: value for name, value in os.environ.items() if name in keep},
        "DJANGO_SETTINGS_MODULE": "kontaktpunkt.config.settings",
        "DATABASE_URL": database_url or f"sqlite:///{directory / 'peer.sqlite3'}",
        "KP_DATA_DIR": str(directory),
        "KP_ENV": "development",
        "KP_DEBUG": "0",
        "KP_OPEN311_CATALOGUE_RECHECK_S": "0",
        **(env or {}),
    }
    migrate = [sys.executable, "-m", "kontaktpunkt", "migrate", "--no-input", "-v", "0"]
    subprocess.run(migrate, env=instance.env, check=True, timeout=300)  # noqa: S603
    instance.api_key = instance.run(SETUP).strip().splitlines()[-1]
    return instance


def peer_start(
    directory: Path,
    *,
    workers: int = 1,
    database_url: str = "",
    env: Mapping[str, str] | None = None,
) -> Open311Peer:
    """Migrate a fresh peer database (an SQLite file in `directory` unless `database_url` names an
    empty one), issue a key, and serve (the caller stops it)."""
    peer = instance_create(directory, database_url=database_url, env=env)
    peer.workers = workers
    peer.start()
    return peer


@pytest.fixture(scope="session")
def open311_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Open311Peer]:
    peer = peer_start(tmp_path_factory.mktemp("open311-peer"))
    try:
        yield peer
    finally:
        peer.stop()
