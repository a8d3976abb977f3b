"""Bounded in time (issue 12): an API that goes away mid-apply, Ctrl-C and SIGTERM. A real
revsync process each time; it must end promptly with a report, exit non-zero and leave no
lock behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from revsync.emulator import Emulator

ELEMENTS = 60
KEY = "hak_emulator_local_dev_key"


def manifest(tmp_path: Path) -> str:
    path = tmp_path / "elements.yaml"
    lines = ["meteringElements:"] + [f"  - {{name: e-{i:03d}, type: NUMBER}}" for i in range(60)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def revsync_process(path: str, api_url: str, home: Path, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "HOME": str(home),
        "REVENIUM_API_URL": api_url,
        "REVENIUM_API_KEY": KEY,
        "REVENIUM_TEAM_ID": "EMUteam",
        "REVENIUM_OWNER_ID": "EMUownr",
        "NO_COLOR": "1",
    }
    env.pop("XDG_RUNTIME_DIR", None)  # the lock goes below HOME, where the test can see it
    return subprocess.Popen(
        [sys.executable, "-m", "revsync", "apply", path, "--auto-approve", "-o", "json", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell may start jobs with SIGINT ignored; Python then never raises Ctrl-C
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_writes(count_writes, at_least: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while count_writes() < at_least:
        assert proc.poll() is None, "apply ended before the fault could be injected"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def no_lock_left(home: Path) -> bool:
    return not list((home / ".cache" / "revsync" / "locks").glob("apply-*.lock"))


def check_report(out: str) -> dict:
    document = json.loads(out)
    results = document["result"]["results"]
    assert len(results) == len(document["plan"]["changes"]) == ELEMENTS
    return document["result"]


@pytest.fixture
def emulator_process():
    """A separate emulator process, so that it can be killed like a server that dies."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "revsync", "emulator", "--port", "0", "--rate-limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = proc.stdout.readline()
    assert "listening on" in line, line
    yield proc, line.rsplit(" ", 1)[1].strip()
    proc.kill()
    proc.wait()


def test_the_api_goes_away_mid_apply(tmp_path: Path, emulator_process) -> None:
    """Killed server, connections refused from then on: done within --retry-time +
    --timeout (+ a few s), with what was done, failed and skipped; exit 1; lock released."""
    server, api_url = emulator_process
    admin = api_url.removesuffix("/profitstream") + "/_emulator"
    httpx.put(f"{admin}/faults", json={"latency_ms": 80}).raise_for_status()
    home = tmp_path / "home"
    proc = revsync_process(manifest(tmp_path), api_url, home, "--timeout", "2", "--retry-time", "4")

    def writes() -> int:
        log = httpx.get(f"{admin}/requests", params={"since": 0}).json()
        return sum(1 for r in log if r["method"] == "POST")

    wait_for_writes(writes, 8, proc)
    server.kill()
    killed = time.monotonic()
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - killed
    assert took < 4 + 2 + 4, f"ended {took:.1f} s after the API went away"
    assert proc.returncode == 1, err
    result = check_report(out)
    assert result["stopped"].startswith("the API is unreachable")
    statuses = [r["status"] for r in result["results"]]
    assert statuses.count("created") >= 8
    skipped = [r for r in result["results"] if r["status"] == "skipped"]
    assert skipped and all(
        r["error"].startswith("not attempted: the API is unreachable") for r in skipped
    )
    assert "Traceback" not in err
    assert no_lock_left(home)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_end_an_apply_with_a_report(tmp_path: Path, signum) -> None:
    with Emulator(rate_limit=0) as emu:
        emu.faults.configure(latency_ms=80)
        home = tmp_path / "home"
        proc = revsync_process(manifest(tmp_path), emu.api_url, home, "--timeout", "5")

        def writes() -> int:
            return sum(1 for r in emu.requests() if r["method"] == "POST")

        wait_for_writes(writes, 6, proc)
        proc.send_signal(signum)
        signalled = time.monotonic()
        out, err = proc.communicate(timeout=30)
        assert time.monotonic() - signalled < 5 + 3
        assert proc.returncode == 1, err
        result = check_report(out)
        assert result["interrupted"]
        created = [r for r in result["results"] if r["status"] == "created"]
        skipped = [r for r in result["results"] if r["status"] == "skipped"]
        assert len(created) >= 6 and skipped
        assert all(r["error"].startswith("not attempted: apply was interrupted") for r in skipped)
        if signum == signal.SIGTERM:
            assert "(SIGTERM)" in skipped[0]["error"]
        time.sleep(0.3)  # anything still in flight has been answered by now
        assert len(emu.objects("element")) == len(created)  # the report tells the truth
        assert "Traceback" not in err
        assert no_lock_left(home)
