"""Bounded in time whatever the server does: trickles, long Retry-After, a vanished API."""

from __future__ import annotations

import threading
import time
from email.utils import formatdate

import pytest

from revsync.client.breaker import ApiUnreachable
from revsync.client.http import ApiError
from revsync.client.ratelimit import DEFAULT_LIMIT, GUARD, MAX_RESET_WAIT, RateGate
from revsync.emulator import Emulator

from .server import client, send, serve, url


def _trickle_body(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "200")
    handler.end_headers()
    for _ in range(200):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.05)


def _trickle_headers(handler) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 200:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.05)


@pytest.mark.parametrize("respond", [_trickle_body, _trickle_headers])
def test_a_trickling_server_cannot_extend_the_timeout(respond) -> None:
    with serve(respond) as server:
        c = client(url(server), timeout=0.5, retry_time=0.5)
        started = time.monotonic()
        with pytest.raises(ApiError, match="ReadTimeout"):
            c.request("GET", "/v2/api/products")
        assert time.monotonic() - started < 2.5  # ~0.5 s a try, two tries
        c.close()


def test_a_long_retry_after_fails_at_once_naming_the_wait() -> None:
    with serve(lambda h: send(h, 429, b"{}", {"Retry-After": "3600"})) as server:
        c = client(url(server), retry_time=600)
        started = time.monotonic()
        with pytest.raises(ApiError, match="asks to wait 3600 s") as info:
            c.request("GET", "/v2/api/products")
        assert info.value.status == 429 and time.monotonic() - started < 1


def test_a_retry_after_beyond_the_retry_time_is_not_slept() -> None:
    with serve(lambda h: send(h, 429, b"{}", {"Retry-After": "30"})) as server:
        c = client(url(server), retry_time=1)
        started = time.monotonic()
        with pytest.raises(ApiError, match=r"asks to wait 30\.0 s"):
            c.request("GET", "/v2/api/products")
        assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "reset", ["99999999999999", str(int(time.time() * 1000) + 500), "nan", "1e400", "9" * 5000]
)
def test_odd_rate_limit_resets_never_crash_nor_hang(reset: str) -> None:
    headers = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    with serve(lambda h: send(h, 429, b"{}", headers)) as server:
        c = client(url(server), retry_time=1.5)
        started = time.monotonic()
        with pytest.raises(ApiError, match="gave up"):
            c.request("GET", "/v2/api/products")
        assert time.monotonic() - started < 1.5 + MAX_RESET_WAIT


def test_reset_is_moved_onto_our_clock_using_the_date_header() -> None:
    now = [1000.0]
    gate = RateGate(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    server_now = 1000.0 + 3600  # the server's clock is an hour ahead
    gate.observe(
        {
            "date": formatdate(server_now, usegmt=True),
            "x-ratelimit-limit": "2",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": str(int(server_now) + 1),
        }
    )
    assert gate.skew == pytest.approx(3600, abs=1)
    gate.acquire()  # waits for the window end on our clock, not an hour
    assert now[0] - 1000.0 < 2


def test_pacing_starts_with_the_first_request() -> None:
    """Before any header arrives, the default budget applies (a run at the limit: no 429)."""
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    gate = RateGate(clock=lambda: now[0], sleep=sleep)
    for _ in range(DEFAULT_LIMIT):
        gate.acquire()
    assert slept == []
    gate.acquire()
    assert now[0] == pytest.approx(1001 + GUARD)
    blocked = RateGate(clock=lambda: now[0], sleep=sleep)
    blocked.block_until(now[0] + 30)
    assert blocked.acquire(max_wait=5) is False  # a wait longer than the caller can afford


def test_a_burst_at_the_limit_draws_no_429_at_its_start(emulator: Emulator) -> None:
    emulator.ratelimit.rate = 50
    from revsync.client.config import Credentials
    from revsync.client.http import ApiClient

    c = ApiClient(
        Credentials(emulator.api_url, emulator.api_key, "T1", "T1", None, {}),
        timeout=2,
        retry_time=10,
        parallelism=16,
    )

    def work() -> None:
        for _ in range(5):
            c.request("GET", "/v2/api/products", {"teamId": emulator.team_id})

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert c.stats["status_429"] == 0
    c.close()


def test_a_vanished_api_ends_a_many_worker_run_within_the_bounds() -> None:
    """After the API dies, workers stop once one request spent a window without answers."""
    with serve(lambda h: send(h, 200, b"{}")) as server:
        api_url = url(server)
        c = client(api_url, timeout=0.5, retry_time=1.5)
        c.request("GET", "/v2/api/products")  # the run starts fine
    failures: list[Exception] = []

    def worker() -> None:
        for _ in range(10):  # an executor with many changes left
            try:
                c.request("GET", "/v2/api/products")
            except ApiError as exc:
                failures.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.monotonic() - started < 1.5 + 0.5 + 2
    assert len(failures) == 80
    assert sum(isinstance(f, ApiUnreachable) for f in failures) >= 70
    c.close()
