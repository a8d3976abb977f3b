"""Start-up stays cheap: the command group imports a command only when it is used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from revsync.cli import COMMANDS, cli
from revsync.cli.lazy import LazyGroup

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
HEAVY = ("deepdiff", "jsonschema", "httpx", "revsync.cli.common", "revsync.emulator")


def imported_after(code: str) -> list[str]:
    """Which heavy modules a fresh interpreter holds after running `code`."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_module():
    assert imported_after("import revsync.cli") == []


def test_version_loads_no_command():
    code = (
        "import sys\nfrom revsync.cli import cli\n"
        "try:\n    cli.main(['--version'], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    assert imported_after(code) == []


def test_help_lists_commands_in_workflow_order():
    result = subprocess.run(
        [sys.executable, "-m", "revsync", "--help"], capture_output=True, text=True, check=True
    )
    listed = [
        line.split()[0]
        for line in result.stdout.split("Commands:")[1].splitlines()
        if line.startswith("  ")
    ]
    assert listed == list(COMMANDS)
    assert listed[:3] == ["validate", "plan", "apply"]


def test_every_lazy_command_loads_under_its_name():
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert isinstance(command, click.Command)
        assert command.name == name
    assert cli.get_command(ctx, "nope") is None


def test_a_target_that_is_not_a_command_is_refused():
    group = LazyGroup(lazy_commands={"bad": "revsync.cli.lazy:LazyGroup"})
    with pytest.raises(TypeError, match="not a click command"):
        group.get_command(click.Context(group), "bad")


def test_completion_offers_lazy_commands(monkeypatch):
    from click.shell_completion import ShellComplete

    completions = ShellComplete(cli, {}, "revsync", "_REVSYNC_COMPLETE").get_completions([], "ap")
    assert [c.value for c in completions] == ["apply"]


def test_validate_needs_no_http_client_and_no_planner():
    loaded = imported_after(
        "import revsync.cli.validate, sys\nassert 'revsync.service' not in sys.modules"
    )
    assert "httpx" not in loaded and "deepdiff" not in loaded


def test_the_command_leaves_at_once_with_its_exit_code_and_all_output(tmp_path):
    """`revsync` skips the heap teardown (os._exit): the exit code and what was printed
    must still be exactly those of `main`."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("products:\n  - name: p\n    nonsense: 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "revsync", "validate", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 3
    assert "bad.yaml:3:5" in result.stdout + result.stderr
    good = subprocess.run(
        [sys.executable, "-m", "revsync", "validate", str(EXAMPLES / "quickstart")],
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0 and "valid: 10 objects" in good.stdout


def test_a_closed_output_pipe_is_no_traceback():
    proc = subprocess.Popen(
        [sys.executable, "-m", "revsync", "--help"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader went away, as `revsync ... | head -1` does
    _, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err


def test_a_run_turns_the_cyclic_collector_off_and_the_switch_interval_down():
    code = (
        "import gc, sys\nimport revsync.cli as cli\n"
        "cli.main = lambda: print(gc.isenabled(), sys.getswitchinterval())\n"
        "cli.run()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    enabled, interval = out.stdout.split()
    assert enabled == "False" and float(interval) <= 0.001


def test_an_apply_collects_cycles_while_it_writes(revsync, write, monkeypatch):
    """The collector is off while planning (`run`), and back on for the writes."""
    import gc

    from revsync.cli import apply as apply_module

    seen = []
    real_execute = apply_module.execute

    def execute(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_execute(*args, **kwargs)

    monkeypatch.setattr(apply_module, "execute", execute)
    path = write("organizations:\n  - name: Acme\n")
    gc.disable()
    try:
        result = revsync("apply", path, "--auto-approve")
    finally:
        gc.enable()
    assert result.code == 0, result.err
    assert seen == [True]


def test_what_the_plan_built_is_left_out_of_the_collections_during_the_writes():
    """The first collection after planning must not walk the plan (a long GIL pause)."""
    import gc

    from revsync.cli import collect_cycles

    was, threshold = gc.isenabled(), gc.get_threshold()
    gc.disable()
    try:
        planned = [[i] for i in range(50_000)]  # made while the collector was off
        assert gc.get_count()[0] > len(planned) // 2
        collect_cycles()
        assert gc.get_count()[0] < 1_000
        assert gc.get_freeze_count() >= len(planned)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        (gc.enable if was else gc.disable)()
    del planned
