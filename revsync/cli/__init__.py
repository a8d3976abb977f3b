"""The `revsync` command line. Each command lives in its own module."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from .. import __version__
from ..core.errors import EXIT_ERROR, RevsyncError
from .lazy import LazyGroup

# name -> where the command lives, in the order of the workflow (the order --help lists)
COMMANDS = {
    "validate": ".validate:validate_command",
    "plan": ".plan:plan_command",
    "apply": ".apply:apply_command",
    "show": ".show:show_command",
    "graph": ".graph:graph_command",
    "drift": ".drift:drift_command",
    "export": ".export:export_command",
    "schema": ".schema:schema_command",
    "emulator": ".emulator:emulator_command",
    "completion": ".completion:completion_command",
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="revsync")
def cli() -> None:
    """Keep Revenium configuration in git: validate, plan, apply, drift, export."""


def print_problems(problems: list) -> None:
    """Imported on the error path only: common.py pulls in the HTTP client."""
    from .common import print_problems as show

    show(problems)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt("SIGTERM")


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (how CI cancels a job) takes the Ctrl-C path: an apply stops starting work,
    reports what happened and releases its lock, instead of dying mid-write."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def tune_interpreter() -> None:
    """Two process-wide settings for runs that read while they compute.

    A plan builds large trees (manifests, answers) that live until it ends and hold almost
    no cycles: a 13,000-object plan leaves about 7,000 objects of cyclic garbage, while the
    cyclic collector, walking every young object again and again to find them, costs 5% of
    its CPU. So it is off while a plan is made (`collect_cycles` turns it on for the long
    part of an apply). Reader threads wait on the network while the main thread loads
    manifests; with the default 5 ms switch interval each answer waits up to 5 ms, several
    times per page, for the GIL. At 1 ms a 13,000-object plan's reads end about 0.5 s sooner.
    """
    gc.disable()
    sys.setswitchinterval(0.001)


def collect_cycles() -> None:
    """Before work that runs for long and makes garbage as it goes (an apply's writes).

    What the plan built is frozen first (kept out of every later collection): the first
    collection would otherwise walk all of it, a 100 ms pause at 13,000 objects that holds
    the GIL while a write let through by the rate gate waits to be sent, and may reach the
    server in its next one-second window (a 429)."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 1_000)
    gc.enable()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes become messages and exit codes, never tracebacks."""
    try:
        with sigterm_interrupts():
            code = cli.main(args=argv, prog_name="revsync", standalone_mode=False)
    except click.UsageError as exc:
        exc.show()
        code = EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except click.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except RevsyncError as exc:
        print_problems(getattr(exc, "problems", []))
        click.echo(f"Error: {exc.message}", err=True)
        if exc.hint:
            click.echo(exc.hint, err=True)
        code = exc.exit_code
    except KeyboardInterrupt as exc:
        click.echo(f"Interrupted ({exc})." if str(exc) else "Interrupted.", err=True)
        code = 130
    except Exception as exc:  # last resort: a bug of ours, said plainly, never a traceback
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in revsync; please report it (run with -vv for details).",
            err=True,
        )
        logging.getLogger("revsync").debug("internal error", exc_info=True)
        code = EXIT_ERROR
    sys.exit(code or 0)


def run() -> None:
    """The `revsync` command: `main`, then leave at once. Everything is written and every
    lock released by then; tearing down the heap object by object would only cost time
    (about a second after a 100,000-object plan) for memory the OS takes back anyway.
    The interpreter is tuned here, not in `main`, which tests call in their own process."""
    tune_interpreter()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_ERROR
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`... | head`)
            stream.flush()
    logging.shutdown()
    os._exit(code)
