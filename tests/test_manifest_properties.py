"""Property tests: generated valid manifests validate; one corrupted field is reported at
its own line."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revsync import kinds
from revsync.manifest.load import load

from .strategies import CORRUPTIBLE, KIND_STRATEGIES, manifests

ENV = {"SLACK_WEBHOOK": "https://hooks.slack.example/T/B/x"}
MARKER = "corrupt-value-7f3a"
NUMBER_MARKER = 7317731  # a number where a string belongs, on the key's own line


def write(tmp: Path, data: dict) -> Path:
    path = tmp / "m.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


def test_every_registered_kind_has_a_strategy_and_a_corruption() -> None:
    missing = [k for k in kinds.names() if k not in KIND_STRATEGIES or not CORRUPTIBLE.get(k)]
    assert not missing, f"add a strategy and CORRUPTIBLE rows to tests/strategies.py: {missing}"
    assert set(KIND_STRATEGIES) == set(CORRUPTIBLE) == set(kinds.names())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(manifest=manifests())
def test_generated_valid_manifests_validate(tmp_path: Path, manifest: dict) -> None:
    assert set(manifest) == {"version", *kinds.names()}
    result = load([str(write(tmp_path, manifest))], env=ENV, strict=True)
    assert result.errors == []
    expected = sum(len(v) for k, v in manifest.items() if isinstance(v, list))
    assert len(result.state.all()) == expected


def _corrupt(entry: dict, path: tuple, how: str) -> None:
    parent = entry
    for step in path[:-1]:
        parent = parent[step]
    leaf = path[-1]
    if how == "type" and leaf in ("plan",):
        parent[leaf] = MARKER  # a string where a mapping belongs
    elif how == "type" and isinstance(parent.get(leaf), str):
        parent[leaf] = NUMBER_MARKER
    else:
        parent[leaf] = MARKER


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(manifest=manifests(), data=st.data())
def test_single_corruption_is_reported_at_its_line(tmp_path: Path, manifest: dict, data) -> None:
    candidates = [
        (k, i)
        for k, v in manifest.items()
        if isinstance(v, list) and k in CORRUPTIBLE
        for i in range(len(v))
    ]
    if not candidates:
        return
    kind, index = data.draw(st.sampled_from(candidates))
    unknown_field = data.draw(st.booleans())
    entry = manifest[kind][index]
    if unknown_field:
        entry["zz" + MARKER.replace("-", "_")] = 1
        field = None
    else:
        path, how = data.draw(st.sampled_from(CORRUPTIBLE[kind]))
        _corrupt(entry, path, how)
        field = ".".join(path)
    source = write(tmp_path, manifest)
    lines = [
        n + 1
        for n, text in enumerate(source.read_text().splitlines())
        if "7f3a" in text or str(NUMBER_MARKER) in text
    ]
    assert len(lines) == 1
    result = load([str(source)], env=ENV)
    at_line = [p for p in result.errors if p.location and p.location.line == lines[0]]
    assert at_line, (lines, [str(p) for p in result.errors])
    problem = at_line[0]
    assert problem.address and problem.address.startswith(f"{kind}/")
    if field:
        assert any(str(p.message).startswith(field) for p in at_line), [str(p) for p in at_line]
    else:
        assert "unknown field" in problem.message
