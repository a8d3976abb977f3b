"""--prune never plans a delete that Revenium refuses because a kept object still uses it."""

from __future__ import annotations

import pytest

from revsync.emulator import Emulator

FIRST = """
meteringElements: [{name: tokens, type: NUMBER}]
sources: [{name: feed, type: API, meteringElements: [tokens]}]
"""
SOURCE_ONLY = """
meteringElements: []
sources: [{name: feed, type: API%s}]
"""


@pytest.mark.parametrize("elements", ["", ", meteringElements: []"], ids=["omitted", "empty"])
def test_an_element_a_kept_source_still_uses_is_kept_with_a_note(
    revsync, env: Emulator, write, elements: str
) -> None:
    """The shape the convergence property test found: the delete failed with 409."""
    assert revsync("apply", write(FIRST), "--auto-approve").code == 0
    path = write(SOURCE_ONLY % elements)
    planned = revsync("plan", path, "--prune", "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err
    assert "Plan: 0 to create, 0 to update, 0 to delete." in planned.out
    assert "meteringElements/tokens (id " in planned.out
    assert "is kept: sources/feed (id " in planned.out
    applied = revsync("apply", path, "--auto-approve", "--prune")
    assert applied.code == 0, applied.out + applied.err
    assert [e["name"] for e in env.objects("element")] == ["tokens"]
