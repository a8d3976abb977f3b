"""Never duplicate (issue 12): a create that commits after the client's timeout is looked
up, not sent again; the report says what is known (recovered) and what is not (unknown)."""

from __future__ import annotations

import time

from revsync.emulator import Emulator

from ..conftest import writes

ELEMENTS = "meteringElements:\n  - {name: a, type: NUMBER}\n  - {name: b, type: NUMBER}\n"


def names(env: Emulator) -> list[str]:
    return sorted(o["name"] for o in env.objects("element"))


def test_a_late_commit_is_found_not_sent_again(revsync, env: Emulator, write) -> None:
    """Issue 12's numbers scaled down: commit 3 s after a 0.5 s timeout (was 12 s after 2 s)."""
    env.faults.configure(p_late_commit=1.0, late_commit_seconds=3.0, methods=["POST"])
    applied = revsync(
        "apply", write(ELEMENTS), "--auto-approve", "-o", "json",
        "--timeout", "0.5", "--lookup-window", "8",
    )  # fmt: skip
    assert applied.code == 0, applied.err
    results = applied.json()["result"]["results"]
    assert [(r["status"], r["recovered"]) for r in results] == [("created", True)] * 2
    assert [r["id"] for r in results] == [
        next(o["id"] for o in env.objects("element") if o["name"] == n) for n in ("a", "b")
    ]
    assert len([w for w in writes(env) if w["method"] == "POST"]) == 2  # never re-sent
    assert names(env) == ["a", "b"]


def test_the_text_report_says_what_was_recovered(revsync, env: Emulator, write) -> None:
    env.faults.configure(p_late_commit=1.0, late_commit_seconds=1.5, methods=["POST"])
    applied = revsync(
        "apply", write(ELEMENTS), "--auto-approve", "--timeout", "0.5", "--lookup-window", "5"
    )
    assert applied.code == 0, applied.err
    assert "2 create(s) lost their answer and were found by natural key" in applied.out
    assert names(env) == ["a", "b"]


def test_a_create_whose_outcome_stays_unknown_is_reported_as_such(
    revsync, env: Emulator, write
) -> None:
    """The window is too short for this server: revsync must not claim success or absence."""
    env.faults.configure(p_late_commit=1.0, late_commit_seconds=30.0, methods=["POST"])
    path = write("meteringElements:\n  - {name: a, type: NUMBER}\n")
    applied = revsync(
        "apply", path, "--auto-approve", "-o", "json", "--timeout", "0.3", "--lookup-window", "1"
    )
    assert applied.code == 1
    (result,) = applied.json()["result"]["results"]
    assert (result["status"], result["unknown"], result["recovered"]) == ("failed", True, False)
    assert "its outcome is unknown" in result["error"]
    assert "not found at the end of the apply either" in result["error"]
    env.faults.clear()


def test_the_lookup_window_is_range_checked(revsync, env: Emulator, write) -> None:
    path = write(ELEMENTS)
    too_small = revsync("plan", path, "--lookup-window", "0.5")
    assert too_small.code == 1 and "--lookup-window" in too_small.err
    shorter = revsync("plan", path, "--timeout", "5", "--lookup-window", "8")
    assert shorter.code == 1
    assert "shorter than twice --timeout" in shorter.err
    assert revsync("plan", path, "--timeout", "2", "--lookup-window", "4").code == 0


def test_a_slow_late_commit_with_the_default_window(revsync, env: Emulator, write) -> None:
    """No --lookup-window: the default (30 s here) outlasts a commit 4 s after the timeout."""
    env.faults.configure(p_late_commit=1.0, late_commit_seconds=4.0, methods=["POST"])
    started = time.monotonic()
    path = write("meteringElements:\n  - {name: a, type: NUMBER}\n")
    applied = revsync("apply", path, "--auto-approve", "-o", "json", "--timeout", "1")
    assert applied.code == 0, applied.err
    assert time.monotonic() - started < 15
    assert names(env) == ["a"]
