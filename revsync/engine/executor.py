"""Executing a plan: exactly its steps, dependencies first, in parallel where independent.

Scheduling is graphlib's `get_ready`/`done`. A failed change skips everything that depends on
it; independent work still finishes. Any exception becomes a failed change, so a report is
always returned. Once the API is unreachable, nothing new is started.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from graphlib import TopologicalSorter
from typing import Any

from ..core.ids import quote_id, safe_id
from ..core.steps import Step, fill_ref, is_ref, is_secret
from .api import Api, ApiError, ApiUnreachable
from .order import dependants
from .plan import Change, Plan
from .recovery import MIN_LOOKUP_WINDOW, CreateFailed, CreateRecovery
from .report import ApplyReport, ChangeResult

Event = Callable[[str, Change, ChangeResult | None], None]


ALREADY_GONE = object()  # a delete found its object already absent
IN_FLIGHT = "interrupted while in flight: its outcome is unknown (run plan to see)"


class StepFailed(Exception):
    pass


class Executor:
    def __init__(
        self,
        api: Api,
        plan: Plan,
        parallelism: int = 4,
        on_event: Event | None = None,
        lookup_window: float = MIN_LOOKUP_WINDOW,
    ) -> None:
        self.api = api
        self.plan = plan
        self.parallelism = max(1, parallelism)
        self.on_event = on_event or (lambda *_: None)
        self.ids: dict[str, str] = {}  # change key -> object id (known or created)
        self._ids_lock = threading.Lock()
        self._stop = threading.Event()
        self._started: set[str] = set()
        # each change's result as its worker finished it: an interrupt can land between
        # submitting a change and noting its future, and the report must still tell
        self._outcomes: dict[str, ChangeResult] = {}
        self.stopped: str | None = None
        self.recovery = CreateRecovery(api, lookup_window, self._stop)

    def stop(self, why: str | None = None) -> None:
        if why and not self.stopped:
            self.stopped = why
        self._stop.set()

    def run(self) -> ApplyReport:
        """Every change of the plan gets a result, whatever happens (failure, API gone, signal)."""
        started = time.monotonic()
        changes = {c.key: c for c in self.plan.changes}
        deps = {k: set(c.depends_on) & changes.keys() for k, c in changes.items()}
        results: dict[str, ChangeResult] = {}
        report = ApplyReport()
        try:
            self._schedule(changes, deps, results)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM turned into one by the CLI
            self.stop(f"apply was interrupted ({exc})" if str(exc) else "apply was interrupted")
            report.interrupted = True
        if not report.interrupted:
            try:
                self._look_again(changes, results)
            except KeyboardInterrupt:
                report.interrupted = True
        for key, change in changes.items():
            if key in results:
                continue
            if key in self._started:  # interrupted between its end and its result
                results[key] = ChangeResult.failed(change, None, IN_FLIGHT)
                results[key].unknown = True
            else:
                why = f"not attempted: {self.stopped or 'apply stopped'}"
                results[key] = ChangeResult.skipped(change, why)
        report.results = [results[c.key] for c in self.plan.changes]
        report.stopped = self.stopped
        report.seconds = time.monotonic() - started
        return report

    def _schedule(self, changes, deps, results: dict[str, ChangeResult]) -> None:
        sorter = TopologicalSorter(deps)
        sorter.prepare()
        position = {key: i for i, key in enumerate(changes)}
        ready: list[str] = []
        running: dict[Future, str] = {}
        pool = ThreadPoolExecutor(self.parallelism, thread_name_prefix="revsync-apply")
        try:
            while sorter.is_active() or running:
                ready += [k for k in sorter.get_ready() if k not in results]
                ready.sort(key=position.__getitem__)
                while ready and len(running) < self.parallelism and not self._stop.is_set():
                    key = ready.pop(0)
                    self.on_event("start", changes[key], None)
                    self._started.add(key)
                    running[pool.submit(self._run_and_keep, changes[key])] = key
                if not running:
                    break
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in done:
                    key = running.pop(future)
                    self._finished(key, future.result(), changes, deps, results)
                    if results[key].ok:
                        sorter.done(key)
        except BaseException:
            self._stop.set()  # start nothing more; what runs ends within its own bounds
            if self._collect(running, changes, results):
                self._collect_unnoted(pool, results)
            raise
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _finished(self, key, result: ChangeResult, changes, deps, results) -> None:
        results[key] = result
        self.on_event("done", changes[key], result)
        if not result.ok:
            self._skip_dependants(key, changes, deps, results)

    def _collect(self, running: dict[Future, str], changes, results) -> bool:
        """The changes in flight when the run was interrupted: wait for each (bounded by the
        retry time); a second interrupt stops waiting, and what is left is reported unknown.
        True when it waited for all of them."""
        waiting = True
        for future, key in running.items():
            if waiting:
                try:
                    results[key] = future.result()
                    continue
                except BaseException:  # a second Ctrl-C / SIGTERM
                    waiting = False
            if future.done() and not future.cancelled() and future.exception() is None:
                results[key] = future.result()
            else:
                results[key] = ChangeResult.failed(changes[key], None, IN_FLIGHT)
                results[key].unknown = True
        return waiting

    def _collect_unnoted(self, pool: ThreadPoolExecutor, results) -> None:
        """A change submitted just as the interrupt came, before its future was noted: let
        the workers finish what they began (not what they have not), then take its result.
        A second interrupt stops this wait too; what is left is reported unknown."""
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except BaseException:
            return
        for key in self._started - results.keys():
            if key in self._outcomes:
                results[key] = self._outcomes[key]

    def _run_and_keep(self, change: Change) -> ChangeResult:
        result = self._run_change(change)
        self._outcomes[change.key] = result
        return result

    def _skip_dependants(self, key, changes, deps, results) -> None:
        for skipped in sorted(dependants(key, deps)):
            if skipped not in results:
                why = f"not attempted: depends on {key}, which failed"
                results[skipped] = ChangeResult.skipped(changes[skipped], why)
                self.on_event("done", changes[skipped], results[skipped])

    def _look_again(self, changes, results: dict[str, ChangeResult]) -> None:
        """A create whose outcome stayed unknown gets one last look: it may have landed late.

        Found: it was created (and is reported as recovered); a multi-step create found this
        way is reported failed with its id, since its later steps did not run."""
        for key, result in list(results.items()):
            change = changes[key]
            if result.status != "failed" or change.action != "create" or not result.unknown:
                continue
            lookup = next((s.lookup for s in change.steps if s.lookup is not None), None)
            try:
                found = self.recovery.look_once(lookup) if lookup else None
            except (ApiError, CreateFailed) as exc:
                result.error = self.api.redact(f"{result.error}; the last look failed: {exc}")
                continue
            if found is None:
                result.error += "; not found at the end of the apply either"
            elif len(change.steps) == 1:
                results[key] = ChangeResult.done(change, found["id"], result.seconds, True)
            else:
                result.unknown = False
                result.id = found["id"]
                result.error += (
                    f"; it was found at the end of the apply (id {found['id']}) but its other "
                    "steps did not run: re-run to finish it"
                )

    # one change -----------------------------------------------------------------------------
    def _run_change(self, change: Change) -> ChangeResult:
        started = time.monotonic()
        object_id = change.live_id
        recovered, note = False, None
        try:
            for step in change.steps:
                answer, found = self._run_step(step, object_id)
                recovered = recovered or found
                if answer is ALREADY_GONE:
                    note = "already gone"
                if step.capture_id:
                    new_id = answer.get("id") if isinstance(answer, dict) else None
                    if not safe_id(new_id):
                        raise StepFailed(f"{step.method} {step.path}: answer has no usable id")
                    object_id = new_id
                    with self._ids_lock:
                        self.ids[change.key] = object_id
        except Exception as exc:  # the report must always print: every error is a result
            return self._failure(change, exc, object_id, time.monotonic() - started)
        if object_id:
            with self._ids_lock:
                self.ids.setdefault(change.key, object_id)
        result = ChangeResult.done(change, object_id, time.monotonic() - started, recovered)
        result.note = note
        return result

    def _failure(self, change: Change, exc: Exception, object_id, seconds) -> ChangeResult:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        if not isinstance(exc, ApiError | StepFailed | CreateFailed):
            message = f"internal error: {type(exc).__name__}: {message}"
        if isinstance(exc, ApiUnreachable) or getattr(exc, "unreachable", False):
            self.stop(f"the API is unreachable ({message})")
        if object_id and change.action == "create" and object_id != change.live_id:
            message += f" (the object was created with id {object_id}; re-run to finish it)"
        result = ChangeResult.failed(change, object_id, self.api.redact(message), seconds)
        result.unknown = isinstance(exc, CreateFailed) and exc.unknown
        return result

    def _run_step(self, step: Step, object_id: str | None) -> tuple[Any, bool]:
        path = step.path
        if "{id}" in path:
            if not object_id:
                raise StepFailed(f"{step.description or path}: the object has no id yet")
            path = path.replace("{id}", quote_id(object_id))
        body = self._fill(step.body)
        if step.method == "POST" and step.lookup is not None:
            return self.recovery.create(path, step.params, body, step.lookup)
        try:
            return self.api.request(step.method, path, step.params, body), False
        except ApiError as exc:
            if step.missing_ok and exc.status is not None and exc.status in step.gone_statuses:
                return self._confirm_gone(step, exc), False
            raise

    def _confirm_gone(self, step: Step, error: ApiError) -> object:
        """A delete answered with a status that may mean "no such object" (Revenium says 403
        for some kinds): look, and report it gone only when it is not there. Never a guess."""
        if step.lookup is None:
            if error.status == 404:
                return ALREADY_GONE
            raise error
        if self.recovery.look_all(step.lookup):
            raise error  # it is still there: the API's refusal stands
        return ALREADY_GONE

    def _fill(self, value: Any) -> Any:
        if is_ref(value):
            key = value["$ref"]
            with self._ids_lock:
                if key not in self.ids:
                    raise StepFailed(f"{key} has no id: it was not created")
                return fill_ref(value, self.ids[key])
        if is_secret(value):
            token = value["$secret"]
            if token not in self.plan.secrets:
                raise StepFailed(
                    f"the value of {token.split('|')[0]} ({token.split('|')[1]}) is not "
                    "available: run apply with the same manifests and environment"
                )
            return self.plan.secrets[token]
        if isinstance(value, dict):
            return {k: self._fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._fill(v) for v in value]
        return value
