"""The Revenium HTTP client: retries, pacing, paging, and answers checked before use.

- 429: wait for Retry-After / X-RateLimit-Reset, then retry (the request was not processed).
- 5xx, timeouts, dropped connections: retried for idempotent methods. For POST the outcome
  is unknown, so `Ambiguous` is raised and the caller looks before re-creating.
- Every retry waits with exponential backoff and jitter, within a bounded total time.
- The API key is sent only to the configured host (no redirects are followed) and is
  redacted from every message.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from ..core.ids import SAFE_ID, safe_id
from ..engine.api import Ambiguous, ApiError
from .config import Credentials
from .ratelimit import RateGate

__all__ = ["SAFE_ID", "Ambiguous", "ApiClient", "ApiError", "safe_id"]

log = logging.getLogger("revsync.http")

RETRY_STATUSES = {408, 500, 502, 503, 504}
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
)
PAGE_SIZE = 100
MAX_PAGES = 10_000
LIST_ATTEMPTS = 3
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


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
        self._key = credentials.api_key
        self.retry_time = retry_time
        self.max_attempts = max_attempts
        self.parallelism = max(1, parallelism)
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._http = httpx.Client(
            base_url=credentials.api_url,
            headers={
                "x-api-key": credentials.api_key,
                "Accept": "application/json",
                "User-Agent": "revsync",
            },
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=self.parallelism + 4, max_keepalive_connections=self.parallelism + 4
            ),
            transport=transport,
        )
        self.gate = RateGate()
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.parallelism, thread_name_prefix="revsync-read")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def redact(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    def _count(self, name: str) -> None:
        with self._stats_lock:
            self.stats[name] += 1

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
        deadline = time.monotonic() + self.retry_time
        attempt = 0
        while True:
            attempt += 1
            self.gate.acquire()
            started = time.monotonic()
            failure: str
            wait: float | None = None
            try:
                status, headers, payload = self._send(method, path, params, body)
            except NOT_SENT as exc:
                failure = f"cannot connect to {self.credentials.api_url}: {type(exc).__name__}"
                self._count("connect_errors")
            except MAYBE_SENT as exc:
                failure = f"no answer ({type(exc).__name__})"
                self._count("lost_answers")
                if not retry_unsafe:
                    raise Ambiguous(failure) from None
            else:
                self.gate.observe(headers)
                elapsed = (time.monotonic() - started) * 1000
                log.debug(
                    "%s %s -> %s in %.0f ms (attempt %d)", method, path, status, elapsed, attempt
                )
                if 200 <= status < 300:
                    return self._parse(payload, headers, method, path, status)
                if status == 429:
                    self._count("status_429")
                    wait = self._retry_after(headers)
                    self.gate.block_until(time.time() + wait)
                    failure = "rate limited (429)"
                elif status in RETRY_STATUSES:
                    self._count(f"status_{status}")
                    failure = f"server error {status}"
                    if not retry_unsafe:
                        raise Ambiguous(failure)
                else:
                    raise self._error(method, path, status, headers, payload)
            hint = (
                "Check --api-url / REVENIUM_API_URL and the network."
                if failure.startswith("cannot connect")
                else None
            )
            if attempt >= self.max_attempts:
                raise ApiError(
                    f"{method} {path}: gave up after {attempt} attempts: {failure}", hint=hint
                )
            if wait is None:
                wait = self._backoff(attempt)
            if time.monotonic() + wait > deadline:
                raise ApiError(
                    f"{method} {path}: gave up after {attempt} attempts in "
                    f"{self.retry_time:.0f} s: {failure}",
                    hint=hint,
                )
            self._count("retries")
            log.debug("%s %s: %s; retrying in %.2f s", method, path, failure, wait)
            time.sleep(wait)

    def _send(
        self, method: str, path: str, params: dict[str, Any] | None, body: Any
    ) -> tuple[int, httpx.Headers, bytes]:
        self._count("requests")
        content = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if content is not None else None
        with self._http.stream(
            method, path, params=params, content=content, headers=headers
        ) as response:
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise ApiError(
                        f"{method} {path}: answer larger than "
                        f"{MAX_RESPONSE_BYTES // 2**20} MiB; refusing to read it"
                    )
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(10.0, 0.25 * 2 ** (attempt - 1))
        with self._rng_lock:
            return self._rng.uniform(ceiling / 2, ceiling)

    def _retry_after(self, headers: httpx.Headers) -> float:
        raw = headers.get("retry-after")
        if raw:
            try:
                return min(60.0, max(0.05, float(raw)))
            except ValueError:
                try:
                    when = parsedate_to_datetime(raw).timestamp()
                    return min(60.0, max(0.05, when - time.time()))
                except (TypeError, ValueError):
                    pass
        reset = headers.get("x-ratelimit-reset")
        if reset:
            try:
                return min(60.0, max(0.05, float(reset) - time.time()))
            except ValueError:
                pass
        return 1.0

    # answers ----------------------------------------------------------------------------------
    def _parse(
        self, payload: bytes, headers: httpx.Headers, method: str, path: str, status: int
    ) -> Any:
        if not payload.strip():
            return None
        content_type = headers.get("content-type", "")
        if "json" not in content_type:
            raise ApiError(
                f"{method} {path}: expected JSON from Revenium, got "
                f"{content_type or 'no content type'} (status {status}): {self._excerpt(payload)}"
            )
        try:
            return json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(
                f"{method} {path}: malformed JSON from Revenium (status {status}): "
                f"{self._excerpt(payload)}"
            ) from None

    def _excerpt(self, payload: bytes) -> str:
        text = payload[:300].decode("utf-8", "replace")
        text = re.sub(r"<[^>]*>", " ", text)
        text = " ".join(text.split())
        return self.redact(text[:200]) + ("..." if len(payload) > 300 else "")

    def _error(
        self, method: str, path: str, status: int, headers: httpx.Headers, payload: bytes
    ) -> ApiError:
        message, details = None, {}
        if "json" in headers.get("content-type", ""):
            try:
                data = json.loads(payload)
            except (ValueError, UnicodeDecodeError):
                data = None
            if isinstance(data, dict):
                message = data.get("message") if isinstance(data.get("message"), str) else None
                raw_details = data.get("details")
                if isinstance(raw_details, dict):
                    details = {str(k): self.redact(str(v)) for k, v in raw_details.items()}
        if message is None:
            message = self._excerpt(payload) if payload else ""
        message = self.redact(message)
        hint = None
        if status == 401:
            hint = (
                "Revenium rejected the API key. Check REVENIUM_API_KEY (or --api-key, or 'key' "
                "in ~/.config/revenium/config.yaml) and that it belongs to this account."
            )
        elif status == 403:
            hint = (
                f"The key may not act for team {self.credentials.team_id}. Check "
                "REVENIUM_TEAM_ID / REVENIUM_TENANT_ID."
            )
        elif 300 <= status < 400:
            message = f"redirect to {headers.get('location', '?')} not followed"
            hint = "revsync only sends the API key to the configured API URL; fix --api-url."
        text = f"{method} {path}: {status}"
        if message:
            text += f" {message}"
        if details:
            text += " (" + "; ".join(f"{k}: {v}" for k, v in sorted(details.items())) + ")"
        return ApiError(text, status, details, hint)

    # lists -------------------------------------------------------------------------------------
    def list_all(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every item of a paged list, at 100 a page; pages after the first in parallel.

        A list that changes while it is read (totals differ between pages) is read again,
        because offset paging can then skip an object, and a skipped object would look
        missing and be created twice.
        """
        for _ in range(LIST_ATTEMPTS):
            items, consistent = self._read_pages(path, params)
            if consistent:
                return items
            self._count("list_rereads")
        raise ApiError(f"GET {path}: the list kept changing while it was read; try again")

    def _read_pages(self, path: str, params: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        first = self.request("GET", path, {**params, "page": 0, "size": PAGE_SIZE})
        pages = _total_pages(first)
        bodies = [first]
        if pages is None:
            page = 0
            while len(_items(bodies[-1])) >= PAGE_SIZE:
                page += 1
                if page >= MAX_PAGES:
                    raise ApiError(f"GET {path}: more than {MAX_PAGES} pages; refusing")
                bodies.append(
                    self.request("GET", path, {**params, "page": page, "size": PAGE_SIZE})
                )
        elif pages > 1:
            if pages > MAX_PAGES:
                raise ApiError(f"GET {path}: Revenium announces {pages} pages; refusing")
            if len(_items(first)) < PAGE_SIZE:
                raise ApiError(
                    f"GET {path}: inconsistent paging (page 0 is short but "
                    f"{pages} pages are announced)"
                )
            futures = [
                self._pool.submit(
                    self.request, "GET", path, {**params, "page": n, "size": PAGE_SIZE}
                )
                for n in range(1, pages)
            ]
            bodies += [future.result() for future in futures]
        totals = {_total_elements(b) for b in bodies} - {None}
        items = [item for body in bodies for item in _items(body)]
        unique = _unique(items)
        consistent = len(totals) <= 1 and (not totals or totals == {len(unique)})
        return unique, consistent


def _unique(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for item in items:
        ident = item.get("id")
        key = ident if isinstance(ident, str) else json.dumps(item, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _total_elements(body: Any) -> int | None:
    page = body.get("page") if isinstance(body, dict) else None
    total = page.get("totalElements") if isinstance(page, dict) else None
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _items(body: Any) -> list[dict[str, Any]]:
    """The objects of a list page: the first array under `_embedded`, or a bare array."""
    if isinstance(body, list):
        found = body
    elif isinstance(body, dict):
        embedded = body.get("_embedded")
        if embedded is None:
            found = []
        elif isinstance(embedded, dict):
            found = next((v for v in embedded.values() if isinstance(v, list)), [])
        else:
            raise ApiError("unexpected list answer from Revenium: _embedded is not an object")
    else:
        raise ApiError(f"unexpected list answer from Revenium: {type(body).__name__}")
    if not all(isinstance(item, dict) for item in found):
        raise ApiError("unexpected list answer from Revenium: an item is not an object")
    return found


def _total_pages(body: Any) -> int | None:
    page = body.get("page") if isinstance(body, dict) else None
    if not isinstance(page, dict):
        return None
    total = page.get("totalPages")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        return None
    return total
