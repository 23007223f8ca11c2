"""Load generator of bench_open311: a second process, standard library only, loopback only.

    python bench/open311/load.py --url http://127.0.0.1:PORT/path --mode throughput|paced \
        --count N [--concurrency C] [--rate R] --fields JSON --marker-prefix P [--ok-status 200]

Each POST is form-encoded from --fields; a value may hold "{marker}", which becomes
"<prefix>-<index>", unique per request. With --geo-jitter, "lat" and "long" are drawn from a seeded
generator in a small box around the centre of Krefeld.

throughput: C keep-alive connections send the N requests between them as fast as answers come back.
paced: request i starts at t0 + i / R on a new connection (Connection: close).

Prints one JSON object: counts, elapsed seconds, requests per second, latency percentiles in ms,
and the markers of the accepted and of the failed requests (each request's outcome).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT_S = 30.0


class Outcome:
    __slots__ = ("error", "latency", "marker", "status")

    def __init__(self, marker: str, status: int, latency: float, error: str = "") -> None:
        self.marker = marker
        self.status = status
        self.latency = latency
        self.error = error


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """(status, server closes the connection, body) of one HTTP/1.1 response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    close = headers.get("connection", "").lower() == "close"
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    else:
        body = await reader.read()
        close = True
    return status, close, body


class Generator:
    def __init__(self, args: argparse.Namespace) -> None:
        url = urlsplit(args.url)
        if url.hostname not in LOOPBACK or url.scheme != "http":
            raise SystemExit("load.py sends to http on loopback only")
        self.host = url.hostname
        self.port = url.port or 80
        self.path = url.path or "/"
        self.fields: dict[str, str] = json.loads(args.fields)
        self.prefix: str = args.marker_prefix
        self.ok = {int(s) for s in args.ok_status.split(",")}
        self.ok_body: bytes = args.ok_body.encode()
        self.rng = random.Random(args.seed)
        self.geo_jitter: bool = args.geo_jitter

    def request(self, index: int, *, close: bool) -> tuple[str, bytes]:
        marker = f"{self.prefix}-{index:06d}"
        data = {k: v.replace("{marker}", marker) for k, v in self.fields.items()}
        if self.geo_jitter:
            data["lat"] = f"{51.3331 + self.rng.uniform(-0.02, 0.02):.6f}"
            data["long"] = f"{6.5623 + self.rng.uniform(-0.03, 0.03):.6f}"
        body = urlencode(data).encode()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n" + ("Connection: close\r\n" if close else "") + "\r\n"
        )
        return marker, head.encode() + body

    def judge(self, marker: str, status: int, body: bytes, start: float) -> Outcome:
        latency = time.perf_counter() - start
        if status in self.ok and self.ok_body in body:
            return Outcome(marker, status, latency)
        return Outcome(marker, status, latency, body[:200].decode("utf-8", "replace"))

    async def throughput(self, count: int, concurrency: int) -> list[Outcome]:
        outcomes: list[Outcome] = []
        next_index = iter(range(count))

        async def connection() -> None:
            reader: asyncio.StreamReader | None = None
            writer: asyncio.StreamWriter | None = None
            for index in next_index:
                marker, raw = self.request(index, close=False)
                start = time.perf_counter()
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection(self.host, self.port)
                    assert reader is not None  # noqa: S101
                    writer.write(raw)
                    status, close, body = await asyncio.wait_for(
                        _read_response(reader), REQUEST_TIMEOUT_S
                    )
                    outcomes.append(self.judge(marker, status, body, start))
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                    outcomes.append(Outcome(marker, 0, time.perf_counter() - start, repr(exc)))
                    close = True
                if close and writer is not None:
                    writer.close()
                    reader = writer = None
            if writer is not None:
                writer.close()

        await asyncio.gather(*(connection() for _ in range(concurrency)))
        return outcomes

    async def paced(self, count: int, rate: float) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        t0 = loop.time() + 0.05

        async def one(index: int) -> Outcome:
            marker, raw = self.request(index, close=True)
            start = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
                writer.write(raw)
                status, _close, body = await asyncio.wait_for(
                    _read_response(reader), REQUEST_TIMEOUT_S
                )
                writer.close()
                return self.judge(marker, status, body, start)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                return Outcome(marker, 0, time.perf_counter() - start, repr(exc))

        tasks = []
        for index in range(count):
            delay = t0 + index / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(index)))
        return list(await asyncio.gather(*tasks))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--mode", choices=["throughput", "paced"], required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--fields", required=True)
    parser.add_argument("--marker-prefix", required=True)
    parser.add_argument("--ok-status", default="200")
    parser.add_argument("--ok-body", default="", help="a byte string an accepted answer contains")
    parser.add_argument("--geo-jitter", action="store_true")
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()
    if not 0 < args.count <= 100_000 or not 0 < args.concurrency <= 256:
        raise SystemExit("count or concurrency out of bounds")
    gen = Generator(args)
    coro = (
        gen.throughput(args.count, args.concurrency)
        if args.mode == "throughput"
        else gen.paced(args.count, args.rate)
    )

    async def bounded() -> list[Outcome]:
        return await asyncio.wait_for(coro, args.max_seconds)

    start = time.perf_counter()
    outcomes = asyncio.run(bounded())
    elapsed = time.perf_counter() - start
    accepted = [o for o in outcomes if not o.error]
    failed = [o for o in outcomes if o.error]
    latencies_ms = [o.latency * 1000 for o in outcomes]
    statuses: dict[str, int] = {}
    for o in outcomes:
        statuses[str(o.status)] = statuses.get(str(o.status), 0) + 1
    report: dict[str, Any] = {
        "mode": args.mode,
        "count": len(outcomes),
        "accepted": len(accepted),
        "failed": len(failed),
        "statuses": statuses,
        "elapsed_s": elapsed,
        "req_per_s": len(outcomes) / elapsed,
        "p50_ms": percentile(latencies_ms, 50),
        "p90_ms": percentile(latencies_ms, 90),
        "p99_ms": percentile(latencies_ms, 99),
        "max_ms": max(latencies_ms),
        "accepted_markers": [o.marker for o in accepted],
        "failed_markers": [o.marker for o in failed],
        "first_errors": sorted({o.error for o in failed})[:3],
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
