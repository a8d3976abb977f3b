"""Start `revsync emulator` as a separate process (its own GIL), as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# the emulator's default account, shared by every benchmark
KEY = "hak_emulator_local_dev_key"
TEAM = "EMUteam"
REVSYNC = [sys.executable, "-m", "revsync"]


@contextmanager
def emulator_process(*extra: str) -> Iterator[str]:
    """Yield the API URL of a fresh emulator; stop it afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "revsync", "emulator", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"emulator did not start: {line!r}")
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
