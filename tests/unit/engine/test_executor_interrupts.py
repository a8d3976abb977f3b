"""The executor: deletes that may already be gone, the last look, an API that goes away,
an interrupted run. A fake API; every change always gets a truthful result."""

from __future__ import annotations

import os
import signal
import threading

from revsync.core.steps import Lookup, Step
from revsync.engine.api import Ambiguous, ApiError, ApiUnreachable
from revsync.engine.executor import Executor
from revsync.engine.plan import Change, Plan

PATH = "/v2/api/subscriptions"


class FakeApi:
    def __init__(self, answer=None, stored: list | None = None) -> None:
        self.answer = answer  # callable(method, path) -> answer, or raises
        self.stored = stored if stored is not None else []
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def request(self, method, path, params=None, body=None, *, retry_unsafe=None):
        with self.lock:
            self.requests.append((method, path))
        return self.answer(method, path)

    def find_by_key(self, path, field, value, *, params=None, casefold=False, query=None):
        return [o for o in self.stored if o.get(field) == value]

    def redact(self, text: str) -> str:
        return text


def raises(exc):
    def answer(method, path):
        raise exc

    return answer


def delete(key: str, lookup: bool = True, statuses=(403, 404)) -> Change:
    step = Step(
        "DELETE",
        PATH + "/{id}",
        missing_ok=True,
        gone_statuses=list(statuses),
        lookup=Lookup(PATH, {}, {"id": key}) if lookup else None,
    )
    return Change(f"subscriptions/{key}", "delete", "subscriptions", key, key, steps=[step])


def create(name: str, depends_on: tuple[str, ...] = ()) -> Change:
    step = Step("POST", PATH, body={"name": name}, capture_id=True)
    step.lookup = Lookup(PATH, {}, {"name": name})
    key = f"subscriptions/{name}"
    return Change(key, "create", "subscriptions", name, steps=[step], depends_on=list(depends_on))


def run(api: FakeApi, *changes: Change, window: float = 0.05):
    plan = Plan(target={}, manifest_digest="", manifests=[], changes=list(changes))
    return Executor(api, plan, parallelism=2, lookup_window=window).run()


def test_a_403_delete_of_an_absent_object_is_deleted_already_gone() -> None:
    api = FakeApi(raises(ApiError("403 Forbidden", 403)))
    (result,) = run(api, delete("s1")).results
    assert (result.status, result.note, result.status_text) == (
        "deleted",
        "already gone",
        "deleted (already gone)",
    )


def test_a_403_delete_of_an_object_that_is_there_fails_with_the_apis_message() -> None:
    api = FakeApi(raises(ApiError("403 Forbidden: not yours", 403)), [{"id": "s1"}])
    (result,) = run(api, delete("s1")).results
    assert (result.status, result.error) == ("failed", "403 Forbidden: not yours")


def test_no_look_up_means_no_guess_except_for_404() -> None:
    api = FakeApi(raises(ApiError("403 Forbidden", 403)))
    assert run(api, delete("s1", lookup=False)).results[0].status == "failed"
    api = FakeApi(raises(ApiError("404 Not Found", 404)))
    assert run(api, delete("s1", lookup=False)).results[0].status_text == "deleted (already gone)"


def test_a_status_the_kind_does_not_list_is_a_failure() -> None:
    api = FakeApi(raises(ApiError("403 Forbidden", 403)))
    assert run(api, delete("s1", statuses=(404,))).results[0].status == "failed"


def test_an_unknown_create_found_at_the_end_is_reported_recovered() -> None:
    api = FakeApi(raises(Ambiguous("timed out")))
    report = run(api, create("late"))
    assert report.results[0].status == "failed" and report.results[0].unknown
    assert "not found at the end of the apply either" in report.results[0].error

    # it lands after every look of the create, before the last look of the apply
    api = FakeApi(raises(Ambiguous("timed out")))
    plan = Plan(target={}, manifest_digest="", manifests=[], changes=[create("late")])

    def landed(what, change, result):
        if what == "done":
            api.stored.append({"id": "l1", "name": "late"})

    (result,) = Executor(api, plan, on_event=landed, lookup_window=0.05).run().results
    assert (result.status, result.id, result.recovered) == ("created", "l1", True)


def test_once_the_api_is_unreachable_nothing_new_starts() -> None:
    api = FakeApi(raises(ApiUnreachable("no answer for 120 s", "http://x")))
    changes = [create(f"c{i}") for i in range(6)]
    report = run(api, *changes)
    assert len(api.requests) <= 2  # the two in flight when it was noticed
    assert report.stopped.startswith("the API is unreachable")
    skipped = [r for r in report.results if r.status == "skipped"]
    assert len(skipped) >= 4
    assert all(r.error.startswith("not attempted: the API is unreachable") for r in skipped)
    assert not report.ok


def test_an_interrupt_reports_every_change_and_waits_for_those_in_flight() -> None:
    started = threading.Event()
    release = threading.Event()

    def slow(method, path):
        started.set()
        release.wait(5)
        return {"id": f"id-{len(api.requests)}"}

    api = FakeApi(slow)
    changes = [create(f"c{i}") for i in range(5)]
    plan = Plan(target={}, manifest_digest="", manifests=[], changes=changes)
    executor = Executor(api, plan, parallelism=2)
    calls = {"n": 0}
    on_start = executor.on_event

    def interrupt_on_third_start(what, change, result):
        on_start(what, change, result)
        if what == "start":
            calls["n"] += 1
            if calls["n"] == 2:
                started.wait(5)
                threading.Timer(0.2, release.set).start()
                raise KeyboardInterrupt("SIGTERM")

    executor.on_event = interrupt_on_third_start
    report = executor.run()
    statuses = [r.status for r in report.results]
    assert report.interrupted and not report.ok
    assert statuses.count("created") == 1  # the one in flight finished and is reported
    assert statuses.count("skipped") == 4
    assert all(
        "not attempted: apply was interrupted (SIGTERM)" in r.error
        for r in report.results
        if r.status == "skipped"
    )


def test_a_second_interrupt_stops_waiting_and_reports_the_change_in_flight_unknown() -> None:
    release = threading.Event()

    def stuck(method, path):
        release.wait(10)
        return {"id": "late"}

    api = FakeApi(stuck)
    plan = Plan(target={}, manifest_digest="", manifests=[], changes=[create("a"), create("b")])
    starts = []

    def interrupt_twice(what, change, result):
        if what == "start":
            starts.append(change.key)
            if len(starts) == 2:
                threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()  # 2nd Ctrl-C
                raise KeyboardInterrupt

    try:
        report = Executor(api, plan, parallelism=2, on_event=interrupt_twice).run()
    finally:
        release.set()
    first, second = report.results
    assert (first.status, first.unknown) == ("failed", True)
    assert first.error.startswith("interrupted while in flight: its outcome is unknown")
    assert second.status == "skipped" and report.interrupted


def test_an_interrupt_just_after_a_change_was_handed_to_a_worker_still_reports_its_result(
    monkeypatch,
):
    """Ctrl-C can land between submitting a change and noting its future: the worker still
    sends it, so the report must wait for it and say what came of it, never 'unknown'."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from revsync.engine import executor as executor_module

    def slow_create(method, path):
        time.sleep(0.2)
        return {"id": "made"}

    class InterruptedAfterSecondSubmit(ThreadPoolExecutor):
        submitted = 0

        def submit(self, fn, *args, **kwargs):
            future = super().submit(fn, *args, **kwargs)
            type(self).submitted += 1
            if type(self).submitted == 2:
                raise KeyboardInterrupt
            return future

    monkeypatch.setattr(executor_module, "ThreadPoolExecutor", InterruptedAfterSecondSubmit)
    plan = Plan(target={}, manifest_digest="", manifests=[], changes=[create("a"), create("b")])
    report = Executor(FakeApi(slow_create), plan, parallelism=2).run()
    assert report.interrupted
    assert [r.status for r in report.results] == ["created", "created"]
