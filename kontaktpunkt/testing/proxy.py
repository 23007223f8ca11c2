"""A TCP proxy on 127.0.0.1 in front of a real server, for fault tests: it can fail in chosen ways.

`FaultProxy(upstream_port)` listens on a free port and passes each connection through to the server
(one request per connection, as urllib makes them). `mode` decides what a new connection meets:

- `pass`: the request reaches the server and its answer comes back (after `delay_s`, if set);
- `error`: the server is not asked; the answer is HTTP 500;
- `hang`: the server is not asked; no answer ever comes (the client's timeout must end it);
- `hold`: the request reaches the server, the server's answer is kept back and never delivered —
  the moment a worker is "in the middle" of a job: the partner has acted, the worker has not heard.

`requests` counts connections that reached the server, `answered` is set once a held answer has
arrived from the server (its bytes in `held`). `close()` ends everything.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

from kontaktpunkt.testing.smtp import HOST

ERROR_ANSWER = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
    b"Connection: close\r\n\r\nkaputt"
)


@dataclass
class FaultProxy:
    upstream_port: int
    mode: str = "pass"
    delay_s: float = 0.0
    requests: int = 0
    held: list[bytes] = field(default_factory=list)
    answered: threading.Event = field(default_factory=threading.Event)
    _listener: socket.socket | None = None
    _open: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self._listener is not None
        return int(self._listener.getsockname()[1])

    def endpoint(self, path: str = "/georeport/v2/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def start(self) -> FaultProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, 0))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._open:
                sock.close()
            self._open.clear()

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._open.append(client)
            threading.Thread(target=self._serve, args=(client, self.mode), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str) -> None:
        try:
            request = _read_request(client)
            if mode == "error":
                client.sendall(ERROR_ANSWER)
                client.close()
                return
            if mode == "hang":
                return  # the client waits until its timeout; close() ends the socket
            with socket.create_connection((HOST, self.upstream_port), timeout=30) as upstream:
                upstream.sendall(request)
                with self._lock:
                    self.requests += 1
                answer = _read_all(upstream)
            if mode == "hold":
                self.held.append(answer)
                self.answered.set()
                return
            if self.delay_s:
                time.sleep(self.delay_s)
            client.sendall(answer)
            client.close()
        except OSError:
            client.close()


def _read_request(sock: socket.socket) -> bytes:
    """One HTTP request: the head up to the blank line, then Content-Length bytes of body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _read_all(sock: socket.socket) -> bytes:
    """The whole answer: the request asks for one per connection, so the server closes after it."""
    chunks: list[bytes] = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
