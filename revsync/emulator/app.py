"""The emulator handle: start it in-process on an ephemeral port, drive it from tests."""

from __future__ import annotations

import sys
import threading
from collections import deque
from dataclasses import asdict
from http.server import ThreadingHTTPServer
from typing import Any

from . import jobtypes
from .errors import ApiError
from .faults import FaultConfig, Faults
from .handler import Handler
from .ids import IdGenerator
from .ratelimit import RateLimiter
from .resources import discover
from .routing import Router
from .store import Account, Store

DEFAULT_API_KEY = "hak_emulator_local_dev_key"
DEFAULT_TEAM_ID = "EMUteam"
DEFAULT_OWNER_ID = "EMUownr"
DEFAULT_TEAM_NAME = "Emulator team"
REQUEST_LOG_LIMIT = 200_000


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: tuple) -> None:
        """A client that hangs up (a run that stopped its reads, a killed process) is not
        a server error: say nothing, as a real server would. Anything else is printed."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class Emulator:
    """A Revenium Platform API emulator on loopback.

    >>> with Emulator() as emu:            # ephemeral port, in-memory database
    ...     emu.api_url                     # 'http://127.0.0.1:PORT/profitstream'
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str = ":memory:",
        api_key: str = DEFAULT_API_KEY,
        team_id: str = DEFAULT_TEAM_ID,
        tenant_id: str | None = None,
        owner_id: str = DEFAULT_OWNER_ID,
        rate_limit: float = 50,
        seed: int | None = 0,
        faults: FaultConfig | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.store = Store(db)
        self.ids = IdGenerator(seed)
        self.faults = Faults(faults)
        self.ratelimit = RateLimiter(rate_limit)
        collections = discover()
        self.registry = {c.kind: c for c in collections}
        self.router = Router(collections)
        self.api_key = api_key
        self.team_id = team_id
        self.tenant_id = tenant_id or team_id
        self.owner_id = owner_id
        self.add_team(api_key, team_id, self.tenant_id, owner_id, DEFAULT_TEAM_NAME)
        self._seed()
        self._log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._log_lock = threading.Lock()
        self._log_seq = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle ------------------------------------------------------------------------
    def bind(self) -> _Server:
        """Open the listening socket (raises OSError when the port is taken)."""
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        return self._server

    def start(self) -> Emulator:
        """Serve from a background thread (tests, `--emulator`)."""
        self.bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="revsync-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread = None
        if self._server is not None:
            self._server.server_close()
            self._server = None
        self.store.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """What a client passes as `--api-url`."""
        return f"{self.url}/profitstream"

    def public_api_url(self, host_header: str | None) -> str:
        return f"http://{host_header}/profitstream" if host_header else self.api_url

    # accounts -------------------------------------------------------------------------
    def add_team(
        self,
        api_key: str,
        team_id: str,
        tenant_id: str | None = None,
        owner_id: str | None = None,
        team_name: str | None = None,
    ) -> Account:
        account = Account(
            api_key=api_key,
            team_id=team_id,
            tenant_id=tenant_id or team_id,
            owner_id=owner_id or DEFAULT_OWNER_ID,
            team_name=team_name or f"Team {team_id}",
        )
        self.store.add_account(account)
        return account

    def _seed(self) -> None:
        for collection in self.registry.values():
            collection.seed(self.store, self.ids)

    def register_quality_job_type(self, name: str) -> None:
        """Declare a job type with a PER_JOB quality_rate (QUALITY_RATE alerts name one)."""
        if not name.strip():
            raise ValueError("a job type needs a name")
        jobtypes.register(self.store, name)

    # request log ----------------------------------------------------------------------
    def log_request(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._log_seq += 1
            entry["seq"] = self._log_seq
            self._log.append(entry)

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        with self._log_lock:
            return [dict(e) for e in self._log if e["seq"] > since]

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    # state ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every object (the accounts stay) and re-seed the GLOBAL catalog."""
        self.store.wipe_objects()
        self._seed()
        self.faults.clear()
        self.clear_requests()

    def objects(self, kind: str) -> list[dict[str, Any]]:
        """Stored objects of a kind, write-only fields included (for tests)."""
        scopes = {"GLOBAL"}
        for account in self.store.accounts():
            scopes.update((account.team_id, account.tenant_id))
        return self.store.all(kind, tuple(sorted(scopes)))

    # admin endpoint -------------------------------------------------------------------
    def admin(self, method: str, what: str, params: dict[str, str], body: Any) -> tuple[int, Any]:
        if what == "health" and method == "GET":
            return 200, {"ok": True, "apiUrl": self.api_url}
        if what == "requests":
            if method == "GET":
                return 200, self.requests(int(params.get("since", "0")))
            if method == "DELETE":
                self.clear_requests()
                return 200, {"cleared": True}
        if what == "faults":
            if method == "GET":
                return 200, asdict(self.faults.config)
            if method == "PUT":
                config = self.faults.configure(FaultConfig.from_dict(body or {}))
                return 200, asdict(config)
            if method == "DELETE":
                self.faults.clear()
                return 200, asdict(self.faults.config)
        if what == "rate-limit" and method == "PUT":
            self.ratelimit.rate = float((body or {}).get("rate", 0))
            return 200, {"rate": self.ratelimit.rate}
        if what == "teams" and method == "POST":
            body = body or {}
            if not body.get("apiKey") or not body.get("teamId"):
                raise ValueError("apiKey and teamId are required")
            account = self.add_team(
                body["apiKey"],
                body["teamId"],
                body.get("tenantId"),
                body.get("ownerId"),
                body.get("teamName"),
            )
            return 200, {"teamId": account.team_id, "tenantId": account.tenant_id}
        if what == "job-types" and method == "POST":
            self.register_quality_job_type(str((body or {}).get("name") or ""))
            return 200, {"qualityRateJobTypes": sorted(jobtypes.registered(self.store))}
        if what == "reset" and method == "POST":
            self.reset()
            return 200, {"reset": True}
        if what == "objects" and method == "GET":
            kind = params.get("kind", "")
            if kind not in self.registry:
                raise ValueError(f"kind must be one of {sorted(self.registry)}")
            return 200, self.objects(kind)
        raise ApiError(404, f"No admin endpoint {method} /_emulator/{what}")
