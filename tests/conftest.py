"""Shared fixtures: a fresh emulator per test over real HTTP, and the revsync CLI run
in-process against it (as a user would, through REVENIUM_* variables)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from revsync.cli import main
from revsync.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(rate_limit=0) as emu:
        yield emu


@pytest.fixture
def api(emulator: Emulator) -> Iterator[httpx.Client]:
    """A raw HTTP client with the emulator's key, base URL .../profitstream/v2/api."""
    with httpx.Client(
        base_url=emulator.api_url + "/v2/api",
        headers={"x-api-key": emulator.api_key},
        timeout=10,
    ) as client:
        yield client


WEBHOOK = "https://hooks.slack.com/services/T0001/B0001/very-secret-token"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def env(emulator: Emulator, monkeypatch, tmp_path: Path) -> Emulator:
    """Point revsync at the emulator through REVENIUM_* variables, as a user would."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("REVENIUM_API_URL", emulator.api_url)
    monkeypatch.setenv("REVENIUM_API_KEY", emulator.api_key)
    monkeypatch.setenv("REVENIUM_TEAM_ID", emulator.team_id)
    monkeypatch.setenv("REVENIUM_OWNER_ID", emulator.owner_id)
    monkeypatch.setenv("SLACK_WEBHOOK", WEBHOOK)
    monkeypatch.setenv("NO_COLOR", "1")
    return emulator


@pytest.fixture
def revsync(env: Emulator, capsys) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        with pytest.raises(SystemExit) as info:
            main(list(args))
        out, err = capsys.readouterr()
        return Result(int(info.value.code or 0), out, err)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], str]:
    """Write a manifest file (dedented; same name: replaced) and return its path."""

    def make(text: str, name: str = "manifest.yaml") -> str:
        path = tmp_path / "manifests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return str(path)

    return make


def writes(emulator: Emulator, since: int = 0) -> list[dict]:
    return [r for r in emulator.requests(since) if r["method"] != "GET"]


def last_seq(emulator: Emulator) -> int:
    log = emulator.requests()
    return log[-1]["seq"] if log else 0
