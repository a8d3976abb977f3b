"""The compiled yes/no schema check says `valid` exactly when jsonschema does.

It stands in front of jsonschema for speed; a document it wrongly passed would lose its
errors, one it wrongly failed would only cost time. Both directions are checked.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revsync.manifest.compiled import compile_schema
from revsync.manifest.schema import quick_check, validator
from revsync.manifest.yaml_reader import read_file

from .strategies import manifests

CORPUS = sorted((Path(__file__).parent / "manifests").rglob("*.yaml"))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from([0.5, 1.0, -1.5, 1e-7])
    | st.sampled_from(["", "x", "USD", "SUM", "a@b.example", "not an email", "$x"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def agree(doc: Any) -> None:
    check = quick_check()
    assert check is not None, "the manifest schema must compile"
    assert check(doc) == validator().is_valid(doc), doc


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_agrees_on_the_corpus(path: Path):
    documents, _ = read_file(path, path.name, {"SLACK_WEBHOOK": "https://hooks.example/x"})
    for doc in documents:
        agree(doc)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(manifest=manifests(), data=st.data())
def test_agrees_after_any_value_is_replaced(manifest: dict, data: Any):
    doc = copy.deepcopy(manifest)
    agree(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)[1:] or [()]))
        if not path:
            break
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)
    agree(doc)


def test_json_equality_not_python_equality():
    check = compile_schema({"enum": [1, "a"]}, lambda v, f: True)
    assert check(1) and check(1.0) and check("a")
    assert not check(True)
    integer = compile_schema({"type": "integer"}, lambda v, f: True)
    assert integer(2) and integer(2.0) and not integer(2.5) and not integer(False)


def test_an_unknown_keyword_leaves_everything_to_jsonschema():
    assert compile_schema({"type": "object", "patternProperties": {}}, lambda v, f: True) is None
    assert compile_schema({"oneOf": [{"type": "string"}]}, lambda v, f: True) is None
    assert compile_schema({"$ref": "other.json#/x"}, lambda v, f: True) is None
