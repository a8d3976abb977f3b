"""Requests sent at the very end of a window count in the next one too: they may arrive after
the server's window turned, and 50 more at once would then draw a 429."""

from __future__ import annotations

import pytest

from revsync.client.ratelimit import EDGE, GUARD, RateGate


def gate_at(start: float) -> tuple[RateGate, list[float]]:
    now = [start]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    return RateGate(clock=lambda: now[0], sleep=sleep, default_limit=50), now


def test_requests_at_a_windows_end_reduce_the_next_window():
    gate, now = gate_at(1000.0 + 1 - EDGE / 2)
    for _ in range(10):
        assert gate.acquire(0)
    now[0] = 1001.0 + GUARD + 0.01
    taken = 0
    while gate.acquire(0):
        taken += 1
    assert taken == 40  # 50 minus the 10 that may have landed in this window


def test_requests_earlier_in_the_window_do_not():
    gate, now = gate_at(1000.5)
    for _ in range(10):
        assert gate.acquire(0)
    now[0] = 1001.0 + GUARD + 0.01
    taken = 0
    while gate.acquire(0):
        taken += 1
    assert taken == 50


def test_a_carry_does_not_outlive_an_idle_window():
    gate, now = gate_at(1000.0 + 1 - EDGE / 2)
    for _ in range(10):
        gate.acquire(0)
    now[0] = 1003.5
    taken = 0
    while gate.acquire(0):
        taken += 1
    assert taken == 50


@pytest.mark.parametrize("start", [1000.0, 1000.93, 1000.99])
def test_no_window_of_the_server_gets_more_than_the_limit(start: float):
    """Requests arrive 30 ms after they are let through; count them per server window."""
    gate, now = gate_at(start)
    arrivals = []
    for _ in range(300):
        gate.acquire()
        arrivals.append(now[0] + 0.03)
        now[0] += 0.001
    per_window: dict[int, int] = {}
    for t in arrivals:
        per_window[int(t)] = per_window.get(int(t), 0) + 1
    assert max(per_window.values()) <= 50


def headers(remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-ratelimit-limit": "50",
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
    }


def test_an_answer_from_the_next_window_does_not_forget_the_carry():
    """The server's first answer of a window may come before revsync opened that window
    itself: its `Remaining` has not counted what revsync sent at the previous window's end
    (still on its way), so those still count."""
    gate, now = gate_at(1000.0 + 1 - EDGE / 2)
    for _ in range(10):
        assert gate.acquire(0)
    now[0] = 1001.0 + GUARD + 0.01
    gate.observe(headers(remaining=49, reset=1002.0))  # the server has seen 1 of them
    taken = 0
    while gate.acquire(0):
        taken += 1
    assert taken <= 40


def test_an_answer_from_the_ended_window_read_after_its_end_changes_nothing():
    """Answers to what was sent at a window's end are often read just after it ended, before
    revsync opened the next window. Their `Reset` is past: it must not open a window of its
    own (which forgot the carry, and let 50 more go in the server's next window: 51, a 429)."""
    gate, now = gate_at(1000.0 + 1 - EDGE / 2)
    for _ in range(9):
        assert gate.acquire(0)
    now[0] = 1001.0 + GUARD + 0.01
    for remaining in range(49, 41, -1):  # counted by the server in the window that ended
        gate.observe(headers(remaining=remaining, reset=1001.0))
    in_next_window = 0
    while now[0] < 1002.0:
        assert gate.acquire()
        if now[0] < 1002.0:
            in_next_window += 1
        now[0] += 0.001
    assert in_next_window + 1 <= 50  # + the ninth, which reached the server after its turn


class _Server:
    """Counts requests per one-second window as they arrive, as Revenium does."""

    def __init__(self) -> None:
        self.per_window: dict[int, int] = {}

    def arrive(self, at: float) -> dict[str, str]:
        window = int(at)
        self.per_window[window] = self.per_window.get(window, 0) + 1
        return headers(max(0, 50 - self.per_window[window]), window + 1.0)


@pytest.mark.parametrize("seed", range(20))
def test_no_server_window_gets_more_than_the_limit_when_answers_arrive_late(seed: int):
    """Eight workers each send a request when the gate lets them, wait for its answer (which
    the gate then reads) and go on. Requests reach the server up to 200 ms after they are
    let through, answers come back up to 100 ms after that: the server never counts more
    than the limit in a window, whatever the gate learned from the answers and when."""
    import heapq
    import itertools
    import random

    rng = random.Random(seed)
    server = _Server()
    now = [1000.0 + rng.random()]
    gate = RateGate(clock=lambda: now[0], sleep=lambda s: None, default_limit=50)
    # (time, order, what, worker, answer): a worker ready to send, a request reaching the
    # server, or an answer read by its worker; handled in time order
    events: list[tuple[float, int, str, int, dict[str, str] | None]] = [
        (now[0], worker, "ready", worker, None) for worker in range(8)
    ]
    order = itertools.count(8)
    sent = 0
    while sent < 500:
        now[0], _, what, worker, answer = heapq.heappop(events)
        if what == "arrives":
            answer = server.arrive(now[0])
            read_at = now[0] + rng.uniform(0.001, 0.1)
            heapq.heappush(events, (read_at, next(order), "read", worker, answer))
            continue
        if answer is not None:
            gate.observe(answer)
        if not gate.acquire(0):
            heapq.heappush(events, (now[0] + 0.005, next(order), "ready", worker, None))
            continue
        sent += 1
        arrival = now[0] + rng.uniform(0, 0.2)
        heapq.heappush(events, (arrival, next(order), "arrives", worker, None))
    assert max(server.per_window.values()) <= 50
