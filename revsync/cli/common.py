"""Options shared by the commands that talk to Revenium, and the session they open."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..client.config import Credentials, resolve
from ..core.errors import ManifestError
from ..core.live import Account
from ..core.problems import ERROR, Problem
from ..engine.recovery import LOOKUP_WINDOW_RANGE, default_lookup_window
from ..manifest.load import LoadResult, load
from ..manifest.semantic import CHECKED_BY_PLAN
from .ranges import Seconds

if TYPE_CHECKING:  # imported where used: `validate` needs neither httpx nor the engine
    from ..client.http import ApiClient
    from ..service import Target


def color_enabled(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def report_problems(result: LoadResult, err: bool = False) -> None:
    for problem in result.errors:
        click.echo(str(problem), err=err)
    for problem in result.warnings:
        click.echo(f"warning: {problem}", err=err)


def print_problems(problems: list[Problem]) -> None:
    """Problems go to stderr, errors before warnings, for every command but `validate`."""
    for problem in problems:
        prefix = "" if problem.severity == ERROR else f"{problem.severity}: "
        click.echo(f"{prefix}{problem}", err=True)


def output_option(*formats: str) -> Callable:
    """`-o/--output` with the formats a command supports (the first is the default)."""
    return click.option(
        "--output",
        "-o",
        "output",
        type=click.Choice(list(formats)),
        default=formats[0],
        show_default=True,
        help="Output format.",
    )


def paths_argument(f: Callable) -> Callable:
    return click.argument("paths", nargs=-1, type=click.Path())(f)


def api_options(f: Callable) -> Callable:
    """--api-url, credentials, --emulator, timeouts, parallelism, colour, verbosity."""
    options = [
        click.option(
            "--api-url",
            envvar=None,
            help="Default: REVENIUM_API_URL, then https://api.revenium.ai/profitstream.",
        ),
        click.option("--api-key", help="Prefer REVENIUM_API_KEY: flags show up in `ps`."),
        click.option("--team-id", help="Team id (REVENIUM_TEAM_ID)."),
        click.option("--tenant-id", help="Tenant id (REVENIUM_TENANT_ID); default: the team id."),
        click.option(
            "--owner-id", help="Owner user id for products and subscriptions (REVENIUM_OWNER_ID)."
        ),
        click.option(
            "--emulator",
            "emulator_db",
            is_flag=False,
            flag_value=":memory:",
            default=None,
            metavar="[DBFILE]",
            help="Run against an embedded Revenium emulator instead of Revenium; DBFILE keeps "
            "its data between runs (write --emulator=FILE).",
        ),
        click.option("--insecure-http", is_flag=True, help="Allow http:// to a non-local host."),
        click.option(
            "--timeout",
            type=Seconds(0, 3600),
            default=30.0,
            show_default=True,
            help="Seconds to wait for one answer (more than 0, at most 3600).",
        ),
        click.option(
            "--retry-time",
            type=Seconds(0, 86400, zero_ok=True),
            default=120.0,
            show_default=True,
            help="Seconds one request may spend on retries (0: no retries; at most 86400).",
        ),
        click.option(
            "--lookup-window",
            type=click.FloatRange(*LOOKUP_WINDOW_RANGE),
            default=None,
            help="Seconds to look for a create whose answer was lost before sending it "
            "again; at least twice --timeout.  [default: the larger of 30 and 2 x --timeout]",
        ),
        click.option(
            "--parallelism",
            type=click.IntRange(1, 32),
            default=4,
            show_default=True,
            help="Requests in flight at once (1 to 32).",
        ),
        click.option("--no-color", is_flag=True, help="No colours (also: NO_COLOR=1)."),
        click.option("-v", "--verbose", count=True, help="Show progress; -vv logs every request."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is now (not what it was when logging was set up)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def configure_logging(verbose: int) -> None:
    logger = logging.getLogger("revsync")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("debug: %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


@dataclass
class Session:
    credentials: Credentials
    client: ApiClient
    account: Account
    color: bool
    verbose: int
    parallelism: int
    timeout: float = 30.0
    lookup_window: float | None = None

    @property
    def target(self) -> Target:
        """What the service works on; a lost create is looked up for at least 30 s."""
        from ..service import Target

        window = self.lookup_window or default_lookup_window(self.timeout)
        return Target(self.client, self.account, self.credentials.api_url, self.parallelism, window)


SESSION_KEYS = (
    "api_url",
    "api_key",
    "team_id",
    "tenant_id",
    "owner_id",
    "emulator_db",
    "insecure_http",
    "timeout",
    "retry_time",
    "lookup_window",
    "parallelism",
    "no_color",
    "verbose",
)


def split_emulator_path(
    emulator_db: str | None, paths: tuple[str, ...]
) -> tuple[str | None, tuple[str, ...]]:
    """`--emulator examples/` means an in-memory emulator and a manifest path, not a DB file."""
    if emulator_db and emulator_db != ":memory:":
        candidate = Path(emulator_db)
        if candidate.is_dir() or candidate.suffix in (".yaml", ".yml"):
            return ":memory:", (emulator_db, *paths)
    return emulator_db, paths


@contextmanager
def open_session(options: dict[str, Any]) -> Iterator[Session]:
    verbose = options["verbose"]
    configure_logging(verbose)
    window = options["lookup_window"]
    if window is not None and window < 2 * options["timeout"]:
        raise click.BadParameter(
            f"{window:g} s is shorter than twice --timeout ({2 * options['timeout']:g} s): a "
            "create that commits late would be sent again",
            param_hint="--lookup-window",
        )
    emulator = None
    try:
        if options["emulator_db"]:
            from ..emulator import Emulator

            emulator = Emulator(db=options["emulator_db"]).start()
            flags = {
                "api_url": emulator.api_url,
                "api_key": emulator.api_key,
                "team_id": emulator.team_id,
                "tenant_id": emulator.tenant_id,
                "owner_id": emulator.owner_id,
            }
            credentials = resolve(flags, env={})
        else:
            flags = {
                k: options[k] for k in ("api_url", "api_key", "team_id", "tenant_id", "owner_id")
            }
            credentials = resolve(flags, insecure_http=options["insecure_http"])
        from ..client.http import ApiClient

        client = ApiClient(
            credentials,
            timeout=options["timeout"],
            retry_time=options["retry_time"],
            parallelism=options["parallelism"],
        )
        account = Account(credentials.team_id, credentials.tenant_id, credentials.owner_id)
        try:
            yield Session(
                credentials,
                client,
                account,
                color_enabled(options["no_color"]),
                verbose,
                options["parallelism"],
                options["timeout"],
                window,
            )
        finally:
            client.close()
    finally:
        if emulator is not None:
            emulator.stop()


def load_or_exit(paths: tuple[str, ...], offline: bool = False) -> LoadResult:
    """Manifests for a command; `offline` ones (graph) take an unset ${VAR} as a placeholder."""
    if not paths:
        raise click.UsageError("give at least one manifest file or folder")
    result = load(paths, require_env=not offline)
    if not result.ok:
        n = len(result.errors)
        raise ManifestError(
            f"{n} error{'s' if n != 1 else ''} in the manifests; nothing was sent to Revenium",
            problems=[*result.errors, *result.warnings],
        ) from None
    print_problems([w for w in result.warnings if w.code != CHECKED_BY_PLAN])
    return result


def session_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: kwargs.pop(k) for k in SESSION_KEYS}


def with_session_options(f: Callable) -> Callable:
    @functools.wraps(f)
    def wrapper(**kwargs: Any) -> Any:
        options = session_options(kwargs)
        options["emulator_db"], kwargs["paths"] = split_emulator_path(
            options["emulator_db"], kwargs.get("paths", ())
        )
        return f(options=options, **kwargs)

    return wrapper
