"""`revsync emulator` as a user runs it: a subprocess, a port, a database file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx


def start(db: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "revsync",
            "emulator",
            "--port",
            "0",
            "--db",
            str(db),
            "--api-key",
            "hak_cli_key",
            "--team-id",
            "CLIteam",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = proc.stdout.readline()
    assert "listening on" in line, line + proc.stderr.read()
    return proc, line.rsplit(" ", 1)[1].strip()


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)


def test_emulator_command_serves_and_persists(tmp_path: Path) -> None:
    db = tmp_path / "emu.db"
    proc, url = start(db)
    try:
        assert url.endswith("/profitstream")
        headers = {"x-api-key": "hak_cli_key"}
        created = httpx.post(
            f"{url}/v2/api/metering-element-definitions",
            headers=headers,
            json={"name": "kept", "type": "STRING", "teamId": "CLIteam"},
        )
        assert created.status_code == 200
        assert httpx.get(f"{url}/v2/api/products", params={"teamId": "CLIteam"}).status_code == 401
    finally:
        stop(proc)
    proc, url = start(db)
    try:
        listed = httpx.get(
            f"{url}/v2/api/metering-element-definitions",
            params={"teamId": "CLIteam"},
            headers={"x-api-key": "hak_cli_key"},
        )
        assert [
            o["name"] for o in listed.json()["_embedded"]["meteringElementDefinitionResourceList"]
        ] == ["kept"]
    finally:
        stop(proc)


def test_emulator_command_reports_a_taken_port(tmp_path: Path) -> None:
    proc, url = start(tmp_path / "a.db")
    try:
        port = url.split(":")[2].split("/")[0]
        taken = subprocess.run(
            [sys.executable, "-m", "revsync", "emulator", "--port", port],
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert taken.returncode == 1
        assert "cannot listen" in taken.stderr
        assert "Traceback" not in taken.stderr
    finally:
        stop(proc)
