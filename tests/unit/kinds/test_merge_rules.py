"""Kinds updated by merging (sources, tools) refuse empty values: they would clear unshown."""

from __future__ import annotations

from pathlib import Path

import pytest

from revsync.manifest.load import load

CASES = {
    "tools": "tools:\n  - {toolId: mcp-x, name: X, toolType: MCP_SERVER, %s}\n",
    "sources": "sources:\n  - {name: feed, type: API, %s}\n",
}


@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize(("value", "shown"), [("null", "null"), ("[]", "[]"), ("{}", "{}")])
def test_an_empty_value_is_an_error_with_its_line(tmp_path: Path, kind, value, shown) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(CASES[kind] % f"description: {value}")
    result = load([str(path)])
    [problem] = [p for p in result.errors if p.code == "field.not-clearable"]
    assert problem.message.startswith(f"description: {shown} cannot clear it")
    assert problem.location.line == 2


@pytest.mark.parametrize("kind", sorted(CASES))
def test_set_values_are_fine(tmp_path: Path, kind) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(CASES[kind] % "description: kept")
    assert load([str(path)]).ok
