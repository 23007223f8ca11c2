"""A PostgreSQL server of the test's own, on a free port of 127.0.0.1, that the test may restart.

The suite's shared server must not be restarted under the other tests; a fault test that takes the
database away starts its own cluster from Debian's binaries (initdb, pg_ctl) in a temporary directory,
run as the `postgres` system user when the tests run as root (initdb refuses root). Trust
authentication on 127.0.0.1 only; fsync off (the data is thrown away).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kontaktpunkt.testing.smtp import HOST, free_port


def postgres_bin() -> Path | None:
    """The directory of the newest installed PostgreSQL server binaries, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


@dataclass
class PostgresCluster:
    bin_dir: Path
    directory: Path = Path()
    port: int = 0

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603 - our own fixed commands
            [*prefix, *command],
            check=True,
            timeout=timeout,
            capture_output=True,
            cwd="/",
        )

    def init(self) -> PostgresCluster:
        """A new cluster in a directory of its own under the temporary directory (which the
        `postgres` user can reach, unlike pytest's private ones)."""
        self.port = self.port or free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="kp-postgres-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        data = str(self.directory / "data")
        self._run(
            str(self.bin_dir / "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
            "--no-sync", "-E", "UTF8", "--locale=C",
        )  # fmt: skip
        return self

    def start(self) -> None:
        options = f"-c listen_addresses={HOST} -p {self.port} -c fsync=off -k {self.directory}"
        log = str(self.directory / "server.log")
        data = str(self.directory / "data")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", data, "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        data = str(self.directory / "data")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")

    def restart(self, down_s: float = 1.0) -> None:
        """Stop the server (every connection is cut), stay down for `down_s`, start it again."""
        self.stop()
        time.sleep(down_s)
        self.start()

    def remove(self) -> None:
        """Stop the server if it runs, and delete the cluster."""
        with contextlib.suppress(subprocess.SubprocessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name: str) -> str:
        self._run(
            str(self.bin_dir / "createdb"), "-h", HOST, "-p", str(self.port), "-U", "postgres", name
        )
        return self.url(name)
