"""The HTTP request handler: auth, faults, rate limit, routing, request log."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import time
import traceback
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from .errors import ApiError
from .faults import Decision
from .requestline import LeanRequests
from .resources.base import Ctx
from .resources.paging import Prerendered

if TYPE_CHECKING:
    from .app import Emulator

API_PREFIX = "/profitstream/v2/api/"
ADMIN_PREFIX = "/_emulator/"
MAX_BODY = 8 * 1024 * 1024
SEND_BUFFER = 1024 * 1024  # a page of 100 large items is some 200 KB


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Handler(LeanRequests):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "revsync-emulator"
    sys_version = ""

    def setup(self) -> None:
        """A send buffer that holds a whole list page: the answer is handed to the kernel
        at once, and the thread goes on while the client is still reading it."""
        super().setup()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record, not stderr."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # ----------------------------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        try:
            raw = self._read_body()
        except ApiError as exc:
            self._send(exc.status, exc.body(url.path, now_iso()), close=True)
            return
        if url.path.startswith(ADMIN_PREFIX):
            self._admin(method, url.path[len(ADMIN_PREFIX) :], params, raw)
        elif url.path.startswith(API_PREFIX):
            self._api(method, url.path, params, raw)
        else:
            body = ApiError(404, f"No endpoint {method} {url.path}").body(url.path, now_iso())
            self._send(404, body)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ApiError(413, "Request body too large")
        return self.rfile.read(length) if length else b""

    def _api(self, method: str, path: str, params: dict[str, str], raw: bytes) -> None:
        emu = self.emulator
        api_path = path[len("/profitstream") :]
        started = time.monotonic()
        entry: dict[str, Any] = {
            "time": time.time(),
            "method": method,
            "path": api_path,
            "query": params,
            "body": _parse_for_log(raw),
            "fault": None,
        }
        account = emu.store.account(self.headers.get("x-api-key") or "")
        if account is None:
            error = ApiError(401, "Invalid or missing API key (header x-api-key)")
            self._finish(entry, 401, error.body(api_path, now_iso()), {}, started)
            return
        entry["team"] = account.team_id
        verdict = emu.ratelimit.check(account.api_key)
        headers = dict(verdict.headers)
        if not verdict.allowed:
            headers["Retry-After"] = str(verdict.retry_after)
            error = ApiError(429, "Rate limit exceeded for bucket platform")
            self._finish(entry, 429, error.body(api_path, now_iso()), headers, started)
            return
        decision = emu.faults.decide(method, api_path)
        if decision.delay:
            time.sleep(decision.delay)
        if decision.status:
            entry["fault"] = decision.label
            if decision.status == 429:
                headers["Retry-After"] = f"{emu.faults.config.retry_after:g}"
            error = ApiError(decision.status, HTTPStatus(decision.status).phrase)
            self._finish(entry, decision.status, error.body(api_path, now_iso()), headers, started)
            return
        if decision.late_commit:
            # the client times out meanwhile; the write still commits, and the answer goes
            # to a connection nobody reads any more (issue 12)
            entry["fault"] = decision.label
            time.sleep(decision.late_commit)
        status, body = self._execute(method, api_path, params, raw, account)
        self._deliver(entry, status, body, headers, started, decision)
        if isinstance(body, Prerendered) and body.after is not None:
            body.after()  # the answer is sent: the client reads it meanwhile

    def _execute(
        self, method: str, api_path: str, params: dict[str, str], raw: bytes, account
    ) -> tuple[int, Any]:
        emu = self.emulator
        try:
            handler, path_params = emu.router.resolve(method, api_path[len("/v2/api/") :])
            body = _parse_json(raw)
            ctx = Ctx(
                store=emu.store,
                account=account,
                ids=emu.ids,
                now=now_iso(),
                base=emu.public_api_url(self.headers.get("Host")),
                params=params,
                path=api_path,
                registry=emu.registry,
            )
            with emu.store.transaction():
                return handler(ctx, path_params, body)
        except ApiError as exc:
            return exc.status, exc.body(api_path, now_iso())
        except Exception:  # an emulator bug: answer like a server, keep running
            traceback.print_exc(file=sys.stderr)
            error = ApiError(500, "Internal Server Error")
            return 500, error.body(api_path, now_iso())

    def _deliver(
        self,
        entry: dict[str, Any],
        status: int,
        body: Any,
        headers: dict[str, str],
        started: float,
        decision: Decision,
    ) -> None:
        committed = 200 <= status < 300
        if decision.drop_after_write and committed:
            entry["fault"] = decision.label
            self._log(entry, status, started)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if decision.slow:
            entry["fault"] = decision.label
            time.sleep(decision.slow)
        self._finish(entry, status, body, headers, started)

    def _finish(
        self, entry: dict[str, Any], status: int, body: Any, headers: dict[str, str], started
    ) -> None:
        self._log(entry, status, started)
        self._send(status, body, headers)

    def _log(self, entry: dict[str, Any], status: int, started: float) -> None:
        entry["status"] = status
        entry["ms"] = round((time.monotonic() - started) * 1000, 2)
        self.emulator.log_request(entry)

    def _send(
        self, status: int, body: Any, headers: dict[str, str] | None = None, close: bool = False
    ) -> None:
        if isinstance(body, Prerendered):
            data = body.text.encode()
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"]
        lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(data)}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if close:
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        try:
            self.wfile.write(head + data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # admin ----------------------------------------------------------------------------
    def _admin(self, method: str, what: str, params: dict[str, str], raw: bytes) -> None:
        emu = self.emulator
        try:
            body = _parse_json(raw)
            status, result = emu.admin(method, what, params, body)
        except ApiError as exc:
            status, result = exc.status, exc.body(ADMIN_PREFIX + what, now_iso())
        except ValueError as exc:
            status, result = 400, {"status": 400, "message": str(exc)}
        self._send(status, result)


def _parse_json(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"JSON parse error: {exc}") from None


def _refuse_constant(name: str) -> Any:
    """Jackson refuses the non-standard tokens NaN and Infinity (§6.4)."""
    raise ValueError(f"Non-standard token '{name}': not allowed in JSON")


def _parse_for_log(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw[:2000].decode("utf-8", "replace")
