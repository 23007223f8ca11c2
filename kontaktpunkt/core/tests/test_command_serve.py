from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_the_web_app_and_the_worker_and_stops_cleanly_on_sigterm(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kp.sqlite3'}",
        "KP_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "serve.log"
    subprocess.run(
        [sys.executable, "-m", "kontaktpunkt", "migrate", "-v0"], env=env, check=True, timeout=120
    )
    port = _free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "kontaktpunkt", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        body = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                ) as response:
                    body = response.read()
                break
            except OSError:
                time.sleep(0.3)
        assert b'"status": "ok"' in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/kontaktpunkt/site.css", timeout=2
        ) as css:
            assert css.status == 200
        while time.monotonic() < deadline and "started." not in log_path.read_text():
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
    output = log_path.read_text()
    assert process.returncode == 0, output
    assert "started." in output and "stopped." in output
