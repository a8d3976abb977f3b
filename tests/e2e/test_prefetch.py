"""`plan` and `drift` read Revenium while the manifests are loaded, and stop on bad input."""

from __future__ import annotations

import time

import pytest

from revsync.cli import pipeline
from revsync.emulator import Emulator

from ..conftest import last_seq, writes

VALID = """
version: 1
meteringElements:
  - name: tokens
    type: NUMBER
"""


def gets(emulator: Emulator, since: int) -> list[str]:
    return [r["path"] for r in emulator.requests(since) if r["method"] == "GET"]


def loading_after_the_reads_began(env: Emulator, since: int, real, seen: list):
    """A stand-in for load_or_exit that first waits for the reads, noting what was read."""

    def load(paths):
        deadline = time.monotonic() + 10
        while not gets(env, since) and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(gets(env, since))
        return real(paths)

    return load


@pytest.mark.parametrize("command", ["plan", "drift"])
def test_reads_start_before_the_manifests_are_loaded(
    revsync, env: Emulator, write, monkeypatch, command: str
):
    path = write(VALID)
    since = last_seq(env)
    seen_before_load: list[list[str]] = []
    stand_in = loading_after_the_reads_began(env, since, pipeline.load_or_exit, seen_before_load)
    monkeypatch.setattr(pipeline, "load_or_exit", stand_in)
    result = revsync(command, path)
    assert result.code == 2 if command == "drift" else result.code == 0, result.err
    assert any("metering-element" in p for p in seen_before_load[0])
    assert "+ create" in result.out or "tokens" in result.out


def test_apply_reads_before_the_manifests_are_loaded(revsync, env: Emulator, write, monkeypatch):
    from revsync.cli import apply as apply_command

    path = write(VALID)
    since = last_seq(env)
    seen_before_load: list[list[str]] = []
    real = apply_command.load_or_exit
    stand_in = loading_after_the_reads_began(env, since, real, seen_before_load)
    monkeypatch.setattr(apply_command, "load_or_exit", stand_in)
    result = revsync("apply", path, "--auto-approve")
    assert result.code == 0, result.err
    assert any("metering-element" in p for p in seen_before_load[0])
    assert writes(env, since)  # and it applied


def test_invalid_manifests_exit_3_and_write_nothing(revsync, env: Emulator, write):
    path = write(VALID + "    unknownField: 1\norganizations:\n  - name: acme\n")
    since = last_seq(env)
    started = time.monotonic()
    result = revsync("plan", path)
    assert result.code == 3
    assert "unknown field 'unknownField'" in result.err
    assert time.monotonic() - started < 5
    assert writes(env, since) == []


def test_invalid_manifests_come_before_missing_credentials(revsync, write, monkeypatch):
    monkeypatch.delenv("REVENIUM_API_KEY")
    result = revsync("plan", write("version: 1\nbogusKind: []\n"))
    assert result.code == 3
    assert "unknown kind 'bogusKind'" in result.err


def test_a_kind_the_scan_missed_is_read_after_loading(revsync, env: Emulator, write):
    # a flow-style document: the top-level scan sees no kind, the plan still reads what it needs
    path = write("{version: 1, meteringElements: [{name: tokens, type: NUMBER}]}\n")
    result = revsync("plan", path)
    assert result.code == 0, result.err
    assert "tokens" in result.out
