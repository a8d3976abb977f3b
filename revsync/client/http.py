"""The Revenium HTTP client: bounded retries, pacing, and answers checked before use.

- 429: wait for Retry-After (up to `RETRY_AFTER_CAP`) or the rate-limit window, then retry.
- 5xx, timeouts, dropped connections: retried for idempotent methods. For POST the outcome
  is unknown, so `Ambiguous` is raised and the caller looks before re-creating.
- Every failure is an `ApiError` (or `Ambiguous`): no httpx exception escapes.
- Time is bounded whatever the server does: `timeout` bounds each exchange as a whole,
  `retry_time` bounds every wait of a request, and once the API has given no answer for a
  whole retry window the client fails fast (`ApiUnreachable`).
- The API key is sent only to the configured host (no redirects are followed); it and every
  registered secret are redacted from every message.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from ..core.ids import SAFE_ID, safe_id
from ..engine.api import Ambiguous, ApiError, OnPage
from . import answers, deadline
from .breaker import ApiUnreachable, Breaker
from .config import Credentials, checked_key, display_url, url_secrets
from .failures import classify
from .lists import Lists
from .ratelimit import RateGate
from .retry_after import RETRY_AFTER_CAP, retry_wait
from .secrets import Redactor

__all__ = [
    "RETRY_AFTER_CAP",
    "SAFE_ID",
    "Ambiguous",
    "ApiClient",
    "ApiError",
    "ApiUnreachable",
    "safe_id",
]

log = logging.getLogger("revsync.http")

RETRY_STATUSES = {408, 500, 502, 503, 504}
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MIN_ATTEMPT_TIME = 1.0  # a retry gets at least this long, even at the end of the window
# every exception httpx raises for a request: HTTPError, and misuse errors (never our path)
HTTPX_ERRORS = (httpx.HTTPError, httpx.StreamError, httpx.InvalidURL)
URL_HINT = "Check --api-url / REVENIUM_API_URL and the network."


@dataclass(frozen=True)
class _Retry:
    reason: str
    wait: float | None  # None: the usual backoff
    transport: bool  # no answer at all (the server may be gone)


class ApiClient:
    def __init__(
        self,
        credentials: Credentials,
        *,
        timeout: float = 30.0,
        retry_time: float = 120.0,
        max_attempts: int = 10,
        parallelism: int = 4,
        transport: httpx.BaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.credentials = credentials
        self._secrets = Redactor()
        for secret in (credentials.api_key, *url_secrets(credentials.api_url)):
            self._secrets.add(secret)
        key = checked_key(credentials.api_key)
        self.url = display_url(credentials.api_url)
        self.timeout = timeout
        self.retry_time = retry_time
        self.max_attempts = max_attempts
        self.parallelism = max(1, parallelism)
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        limits = httpx.Limits(
            max_connections=self.parallelism + 4, max_keepalive_connections=self.parallelism + 4
        )
        self._http = httpx.Client(
            base_url=credentials.api_url,
            headers={"x-api-key": key, "Accept": "application/json", "User-Agent": "revsync"},
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            follow_redirects=False,
            limits=limits,
            transport=transport or deadline.transport(limits),
        )
        for mounted in self._http._mounts.values():  # proxies from the environment
            deadline.install(mounted)
        self.gate = RateGate()
        self.breaker = Breaker(self.url)
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.parallelism, thread_name_prefix="revsync-read")
        self._lists = Lists(self.request, self._pool, self._count)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # secrets -----------------------------------------------------------------------------------
    def add_secret(self, value: str | None) -> None:
        """Register a value (e.g. a Slack webhook URL) that no message may show."""
        self._secrets.add(value)

    def redact(self, text: str) -> str:
        """`text` with the API key, URL credentials and every registered secret masked."""
        return self._secrets.redact(text)

    def _count(self, name: str) -> None:
        with self._stats_lock:
            self.stats[name] += 1

    # lists -------------------------------------------------------------------------------------
    def list_all(
        self, path: str, params: dict[str, Any], on_page: OnPage | None = None
    ) -> list[dict[str, Any]]:
        """Every object of a paged list, read consistently (see `lists.Lists.read_all`)."""
        return self._lists.read_all(path, params, on_page)

    def find_by_key(
        self,
        path: str,
        field: str,
        value: str,
        *,
        params: dict[str, Any] | None = None,
        casefold: bool = False,
        query: str | None = None,
    ) -> list[dict[str, Any]]:
        """The objects of a list whose `field` equals `value`; tolerates a growing list."""
        return self._lists.find(path, field, value, params or {}, casefold, query)

    # one request, with retries ---------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        *,
        retry_unsafe: bool | None = None,
    ) -> Any:
        """Send one request and return its JSON answer.

        `retry_unsafe` (default: method is not POST) says whether a request whose answer was
        lost may simply be sent again; when it may not, `Ambiguous` is raised instead.
        """
        if retry_unsafe is None:
            retry_unsafe = method != "POST"
        where = f"{method} {path}"
        started = time.monotonic()
        ends = started + self.retry_time
        attempt, only_transport, reason = 0, True, ""
        while True:
            attempt += 1
            self.breaker.check()
            self.breaker.started()
            if not self.gate.acquire(max(0.0, ends - time.monotonic())):
                raise ApiError(
                    f"{where}: gave up after {attempt - 1} attempts: the rate-limit wait would "
                    f"pass --retry-time ({reason or 'nothing sent yet'})"
                )
            now = time.monotonic()
            socket_end = now + (self.timeout if attempt == 1 else self._left(ends, now))
            outcome = self._attempt(method, path, params, body, retry_unsafe, socket_end)
            if not isinstance(outcome, _Retry):
                return outcome
            only_transport = only_transport and outcome.transport
            reason = outcome.reason
            wait = outcome.wait if outcome.wait is not None else self._backoff(attempt)
            if attempt >= self.max_attempts or time.monotonic() + wait > ends:
                raise self._give_up(where, attempt, started, only_transport, outcome, wait, ends)
            self._count("retries")
            log.debug("%s: %s; retrying in %.2f s", where, reason, wait)
            self.breaker.wait(wait)

    def _left(self, ends: float, now: float) -> float:
        return min(self.timeout, max(ends - now, MIN_ATTEMPT_TIME))

    def _attempt(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        body: Any,
        retry_unsafe: bool,
        socket_end: float,
    ) -> Any:
        where = f"{method} {path}"
        started = time.monotonic()
        try:
            status, headers, payload = self._send(method, path, params, body, socket_end)
        except HTTPX_ERRORS as exc:
            return self._transport_failure(where, exc, retry_unsafe)
        self.breaker.answered()
        self.gate.observe(headers)
        log.debug("%s -> %s in %.0f ms", where, status, (time.monotonic() - started) * 1000)
        if 200 <= status < 300:
            return answers.parse(payload, headers, where, status, self.redact)
        if status == 429:
            self._count("status_429")
            wait = retry_wait(headers, self.gate, where)
            self.gate.block_until(time.time() + wait)
            return _Retry("rate limited (429)", wait, False)
        if status in RETRY_STATUSES:
            self._count(f"status_{status}")
            if not retry_unsafe:
                raise Ambiguous(f"server error {status}", status)
            return _Retry(f"server error {status}", None, False)
        error = answers.error(
            where, status, headers, payload, self.credentials.team_id, self.redact
        )
        raise error

    def _transport_failure(self, where: str, exc: Exception, retry_unsafe: bool) -> _Retry:
        failure = classify(exc, self.url)
        message = self.redact(failure.message)
        if failure.kind == "fatal":
            raise ApiError(f"{where}: {message}", hint=URL_HINT if failure.unreachable else None)
        if failure.kind == "maybe_sent":
            self._count("lost_answers")
            if not retry_unsafe:
                raise Ambiguous(message)
        else:
            self._count("connect_errors")
        if failure.unreachable and self.breaker.connect_failed_at_start():
            self.breaker.open(message)
            raise ApiUnreachable(f"{where}: {message}", self.url, URL_HINT)
        return _Retry(message, None, True)

    def _give_up(
        self,
        where: str,
        attempt: int,
        started: float,
        only_transport: bool,
        last: _Retry,
        wait: float,
        ends: float,
    ) -> ApiError:
        spent = time.monotonic() - started
        text = f"{where}: gave up after {attempt} attempts in {spent:.1f} s: {last.reason}"
        if last.wait is not None and attempt < self.max_attempts:
            left = max(0.0, ends - time.monotonic())
            text += f"; Revenium asks to wait {wait:.1f} s, only {left:.1f} s of --retry-time left"
        if only_transport and not self.breaker.answered_since(started):
            self.breaker.open(f"no answer from {self.url} for {spent:.0f} s")
            return ApiUnreachable(text, self.url, URL_HINT)
        return ApiError(text, hint=URL_HINT if only_transport else None)

    def _send(
        self, method: str, path: str, params: dict[str, Any] | None, body: Any, socket_end: float
    ) -> tuple[int, httpx.Headers, bytes]:
        self._count("requests")
        try:
            content = None if body is None else json.dumps(body, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            raise ApiError(f"{method} {path}: cannot encode the request body: {exc}") from None
        headers = {"Content-Type": "application/json"} if content is not None else None
        with (
            deadline.deadline(socket_end),
            self._http.stream(
                method, path, params=params, content=content, headers=headers
            ) as response,
        ):
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise ApiError(
                        f"{method} {path}: answer larger than "
                        f"{MAX_RESPONSE_BYTES // 2**20} MiB; refusing to read it"
                    )
                if time.monotonic() > socket_end:
                    raise httpx.ReadTimeout("overall deadline passed", request=response.request)
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(10.0, 0.25 * 2 ** (attempt - 1))
        with self._rng_lock:
            return self._rng.uniform(ceiling / 2, ceiling)
