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


def test_an_element_a_kept_source_still_uses_is_kept_with_a_note(
    revsync, env: Emulator, write
) -> None:
    """The shape the convergence property test found: the delete failed with 409."""
    assert revsync("apply", write(FIRST), "--auto-approve").code == 0
    path = write(SOURCE_ONLY % "")
    planned = revsync("plan", path, "--prune", "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err
    assert "Plan: 0 to create, 0 to update, 0 to delete." in planned.out
    assert "meteringElements/tokens (id " in planned.out
    assert "is kept: sources/feed (id " in planned.out
    applied = revsync("apply", path, "--auto-approve", "--prune")
    assert applied.code == 0, applied.out + applied.err
    assert [e["name"] for e in env.objects("element")] == ["tokens"]


TAGGED = """
meteringElements: [{name: tokens, type: NUMBER}]
sources: [{name: feed, type: API, tags: [a], meteringElements: [tokens]}]
"""
EMPTIED = {
    "meteringElements": "sources: [{name: feed, type: API, description: x, tags: [a], "
    "meteringElements: []}]",
    "tags": "sources: [{name: feed, type: API, description: x, tags: [], "
    "meteringElements: [tokens]}]",
    "description": "sources: [{name: feed, type: API, description: null, tags: [a], "
    "meteringElements: [tokens]}]",
}


@pytest.mark.parametrize("field", sorted(EMPTIED))
def test_an_empty_value_on_a_source_is_refused_before_anything_is_sent(
    revsync, env: Emulator, write, field: str
) -> None:
    """A merged update would send it along with another change, unshown in the plan (on the
    emulator it cleared the source's elements and tags), so validate refuses it."""
    assert revsync("apply", write(TAGGED), "--auto-approve").code == 0
    since = env.requests()[-1]["seq"]
    text = "meteringElements: [{name: tokens, type: NUMBER}]\n" + EMPTIED[field] + "\n"
    result = revsync("apply", write(text), "--auto-approve")
    assert result.code == 3, result.out + result.err
    assert f"{field}: " in result.err and "cannot clear it" in result.err
    assert [r for r in env.requests(since) if r["method"] != "GET"] == []
    [source] = env.objects("source")
    assert source["tags"] == ["a", "managed-by:revsync"] and source["meteringElementDefinitionIds"]
