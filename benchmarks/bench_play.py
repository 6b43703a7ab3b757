"""Benchmark of the workshop server: many participants deciding at once, on loopback.

Starts ``thermosim play SCENARIO`` as a subprocess on a free local port (the game folder in a
temporary folder, removed afterwards), logs in as the trainer, joins ``--participants``
participants (40 by default) and plays ``--rounds`` rounds (10): in each round every
participant sends a decision at the same moment (a thread each, keep-alive connections; odd
rounds a quick fix, even rounds "hold course"), then the trainer opens the next round.
Prints:

- the time from starting ``thermosim play`` to the first page served;
- the latency of the decisions: p50, p95 and the slowest, over every decision sent;
- decisions per second over the rounds (the trainer's "next round" included);
- the median time the trainer's "next round" took (it advances every participant's game).

The aim of issue 14: p95 under 200 ms for 40 participants on a 2-core machine.

Run: ``python benchmarks/bench_play.py [--participants 40] [--rounds 10] [--scenario NAME]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

START_TIMEOUT_S = 120.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Client:
    """One keep-alive connection per thread to the server, JSON in and out."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[float, int, list[tuple[str, str]], bytes]:
        """(seconds, status, headers, body) of one request."""
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port)
        sent = {"content-type": "application/json", "accept": "application/json"}
        sent.update(headers or {})
        started = time.perf_counter()
        connection.request(method, path, None if body is None else json.dumps(body), sent)
        response = connection.getresponse()
        data = response.read()
        return time.perf_counter() - started, response.status, response.getheaders(), data


def _percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[max(0, int(share * len(sorted_values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--scenario", default="lost-key-account")
    args = parser.parse_args()

    port = _free_port()
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        command = [sys.executable, "-m", "thermosim", "play", args.scenario]
        server = subprocess.Popen(
            [*command, "--port", str(port), "--out", out],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            printed = ""
            assert server.stdout is not None
            while "ready in" not in printed:
                line = server.stdout.readline()
                if not line or time.perf_counter() - started > START_TIMEOUT_S:
                    raise SystemExit(f"the server did not start:\n{printed}")
                printed += line
            game = re.search(r"game code\s+(\S+)", printed)
            trainer = re.search(r"trainer code\s+(\S+)", printed)
            if game is None or trainer is None:
                raise SystemExit(f"no game or trainer code in:\n{printed}")
            client = Client(port)
            _, status, _, _ = client.call("GET", "/")
            first_page_s = time.perf_counter() - started
            _, _, headers, _ = client.call("POST", "/trainer/login", {"code": trainer.group(1)})
            cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";")[0]
            trainer_headers = {"cookie": cookie}
            tokens = [
                json.loads(
                    client.call("POST", "/join", {"code": game.group(1), "name": f"p{i}"})[3]
                )["token"]
                for i in range(args.participants)
            ]
            client.call("POST", "/trainer/start", None, trainer_headers)

            latencies: list[float] = []
            advances: list[float] = []
            with ThreadPoolExecutor(args.participants) as pool:
                began = time.perf_counter()
                for round_number in range(args.rounds):
                    decision: dict[str, Any] = (
                        {"round": round_number, "quick_fixes": {"call_blitz": 0.5}}
                        if round_number % 2
                        else {"round": round_number, "hold": True}
                    )

                    def decide(token: str, decision: dict[str, Any] = decision) -> Any:
                        bearer = {"authorization": f"Bearer {token}"}
                        return client.call("POST", "/play", decision, bearer)

                    answers = list(pool.map(decide, tokens))
                    refused = [s for _, s, _, _ in answers if s != 200]
                    if refused:
                        raise SystemExit(f"round {round_number}: refused {refused}")
                    latencies += [seconds for seconds, *_ in answers]
                    advances.append(client.call("POST", "/trainer/next", None, trainer_headers)[0])
                elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=30)

    latencies.sort()
    count = len(latencies)
    print(
        f"thermosim play {args.scenario}: {args.participants} participants x {args.rounds} rounds"
    )
    print(f"start to first page (status {status})   {first_page_s:8.2f} s")
    print(f"decision latency p50                    {1000 * statistics.median(latencies):8.0f} ms")
    p95 = 1000 * _percentile(latencies, 0.95)
    verdict = "met" if p95 < 200 else "MISSED"
    print(f"decision latency p95                    {p95:8.0f} ms  < 200  {verdict}")
    print(f"decision latency max                    {1000 * latencies[-1]:8.0f} ms")
    print(f"decisions per second                    {count / elapsed:8.0f}")
    print(f"next round, median                      {1000 * statistics.median(advances):8.0f} ms")
    print()
    print(f"CPython {platform.python_version()}, {platform.platform()}")


if __name__ == "__main__":
    main()
