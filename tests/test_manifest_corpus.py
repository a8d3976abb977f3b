"""The invalid-manifest corpus: each file names its exact errors in `# error:` lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from revsync import kinds
from revsync.manifest.load import load

HERE = Path(__file__).parent / "manifests"
INVALID = sorted((HERE / "invalid").glob("*.yaml"))
VALID = sorted((HERE / "valid").glob("*.yaml"))


def expected_errors(path: Path) -> list[str]:
    """The file's `# error:` lines; `{kinds}` stands for the registered kinds, in order."""
    lines = path.read_text().splitlines()
    return [
        line[len("# error: ") :].replace("{kinds}", ", ".join(kinds.names()))
        for line in lines
        if line.startswith("# error: ")
    ]


def actual_errors(path: Path) -> list[str]:
    result = load([str(path.relative_to(HERE))], env={})
    out = []
    for problem in result.errors:
        loc = problem.location
        assert loc is not None and loc.file == str(path.relative_to(HERE)), problem
        address = f"{problem.address}: " if problem.address else ""
        out.append(f"{loc.line}:{loc.col}: {address}{problem.message}")
    return out


def test_corpus_is_large_enough() -> None:
    assert len(INVALID) >= 30


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_manifest_reports_exact_errors(path: Path, monkeypatch) -> None:
    monkeypatch.chdir(HERE)
    expected = expected_errors(path)
    assert expected, f"{path.name} declares no '# error:' line"
    assert actual_errors(path) == expected


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_manifest_has_no_errors(path: Path, monkeypatch) -> None:
    monkeypatch.chdir(HERE)
    result = load([str(path.relative_to(HERE))], env={"SLACK_WEBHOOK": "https://hooks.x/y"})
    assert result.errors == []
    assert result.state.all()
