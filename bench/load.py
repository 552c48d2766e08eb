"""A small HTTP load generator for loopback only: bounded in requests and in seconds.

    python -m bench.load http://127.0.0.1:8001/cases/ --cookie sessionid=... --expect MED-

Threads, each with its own connection (reopened when the server closes it, as gunicorn's sync
workers do after every response), send GET requests until `--requests` have been sent or
`--seconds` have passed. Every response is checked: a status other than 200, or a body without
`--expect`, counts as an error, so a login redirect can never pass for a served page. Prints one
line of JSON. It refuses any host that is not on the loopback network.
"""

import argparse
import http.client
import ipaddress
import json
import os
import socket
import statistics
import threading
import time
from urllib.parse import urlsplit


def _loopback_only(host: str) -> None:
    for info in socket.getaddrinfo(host, None):
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            raise SystemExit(f"bench.load sends traffic to loopback addresses only, not {host}")


def run(
    url: str, *, cookie: str, expect: str, concurrency: int, requests: int, seconds: float
) -> dict:
    parts = urlsplit(url)
    _loopback_only(parts.hostname)
    path = parts.path or "/"
    headers = {"Cookie": cookie, "Accept-Language": "nl"} if cookie else {"Accept-Language": "nl"}
    expected = expect.encode()
    lock = threading.Lock()
    budget = [requests]
    latencies: list[float] = []
    errors: list[str] = []
    body_bytes = [0]
    deadline = time.perf_counter() + seconds

    def take() -> bool:
        with lock:
            if budget[0] <= 0 or time.perf_counter() >= deadline:
                return False
            budget[0] -= 1
            return True

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        mine, size = [], 0
        while take():
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with lock:
                    errors.append(type(error).__name__)
                continue
            if status != 200 or expected not in body:
                with lock:
                    errors.append(f"status {status}" if status != 200 else "unexpected page")
                continue
            mine.append(time.perf_counter() - started)
            size += len(body)
        connection.close()
        with lock:
            latencies.extend(mine)
            body_bytes[0] += size

    cpu_before, started = os.times(), time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu_after = time.perf_counter() - started, os.times()
    done = len(latencies)
    latencies.sort()
    return {
        "url": url,
        "ok": done,  # 200s with the expected text: the only responses that count
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "seconds": elapsed,
        "ok_per_second": done / elapsed if elapsed else 0.0,
        "latency_ms_p50": 1000 * statistics.median(latencies) if latencies else None,
        "latency_ms_p95": 1000 * latencies[int(0.95 * (done - 1))] if latencies else None,
        "bytes_per_response": body_bytes[0] / done if done else 0,
        "client_cpu_seconds": (cpu_after.user - cpu_before.user)
        + (cpu_after.system - cpu_before.system),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--expect", default="", help="text every response body must contain")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests")
    parser.add_argument("--seconds", type=float, default=10.0, help="and at most this long")
    args = parser.parse_args()
    result = run(
        args.url,
        cookie=args.cookie,
        expect=args.expect,
        concurrency=args.concurrency,
        requests=args.requests,
        seconds=args.seconds,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
