"""Grouping a kind's canonical operations by mapping changes nothing but the walks."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revsync import kinds
from revsync.core import paths
from revsync.core.location import plain
from revsync.kinds import normalize
from revsync.kinds.canonical_ops import compile_ops

SAMPLES = [
    None,
    "",
    [],
    {},
    "2024-09-01",
    "2024-09-01T02:00:00+02:00",
    "49.00",
    49.0,
    7,
    "0.0000025",
    "Mixed@Example.COM",
    ["b", "a"],
    {"id": "srv-1", "name": "x"},
    True,
]
VALUES = st.sampled_from(SAMPLES)


def declared_paths(kind: kinds.Kind) -> list[str]:
    """Every path the kind's canonical form touches."""
    found = [*kind.defaults, *kind.datetime_fields, *kind.decimal_fields, *kind.unordered]
    found += [f"{p}.id" if p else "id" for p in kind.nested_ids]
    found += [f"{r.container}.{r.field}" if r.container else r.field for r in kind.refs]
    return found


def one_declaration_at_a_time(kind: kinds.Kind, obj: dict[str, Any]) -> dict[str, Any]:
    """The canonical form the plain way: each declaration walks its own paths, in turn."""

    def each(path: str) -> list[tuple[dict[str, Any], str]]:
        parent, leaf = paths.parent_and_leaf(path)
        return [(mapping, leaf) for mapping in paths.mappings(obj, parent)]

    for path, default in kind.defaults.items():
        for mapping, leaf in each(path):
            if mapping.get(leaf) in normalize.EMPTY:
                mapping[leaf] = plain(default)
    for path in kind.nested_ids:
        for mapping in paths.mappings(obj, path):
            mapping.pop("id", None)
    for path in kind.datetime_fields:
        for mapping, leaf in each(path):
            if leaf in mapping:
                mapping[leaf] = normalize.canonical_datetime(mapping[leaf])
    for name in kind.write_only | kind.create_only:
        obj.pop(name, None)
    for ref in kind.refs:
        if ref.by_key and ref.fold_case:
            for mapping in paths.mappings(obj, ref.container):
                if isinstance(mapping.get(ref.field), str):
                    mapping[ref.field] = mapping[ref.field].casefold()
    for path in kind.decimal_fields:
        for mapping, leaf in each(path):
            if mapping.get(leaf) is not None:
                mapping[leaf] = normalize.decimal(mapping[leaf])
    obj = normalize.tidy(obj)
    normalize.sort_lists(obj, kind._sorted_lists())
    return obj


def put(obj: dict[str, Any], path: str, values: list[Any]) -> None:
    """Make `path` exist in `obj` (two items per `[]`), its leaf taking the next values."""
    *parents, leaf = path.split(".")
    level = [obj]
    for name in parents:
        many = name.endswith("[]")
        name = name.removesuffix("[]")
        deeper = []
        for mapping in level:
            child = mapping.get(name)
            if many:
                if not isinstance(child, list):
                    child = mapping[name] = [{}, {}]
                deeper += [c for c in child if isinstance(c, dict)]
            else:
                if not isinstance(child, dict):
                    child = mapping[name] = {}
                deeper.append(child)
        level = deeper
    for mapping in level:
        if values:
            mapping[leaf.removesuffix("[]")] = values.pop()


@pytest.mark.parametrize("name", sorted(kinds.KINDS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_grouped_operations_give_the_form_of_one_declaration_at_a_time(name, data) -> None:
    kind = kinds.get(name)
    obj: dict[str, Any] = {}
    for path in declared_paths(kind):
        if data.draw(st.booleans()):
            put(obj, path, data.draw(st.lists(VALUES, min_size=4, max_size=4)))
    assert kind.canonical(copy.deepcopy(obj)) == one_declaration_at_a_time(kind, copy.deepcopy(obj))


@pytest.mark.parametrize("name", sorted(kinds.KINDS))
@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_every_path_holding_one_value_gives_the_same_form(name, value) -> None:
    kind = kinds.get(name)
    obj: dict[str, Any] = {}
    for path in declared_paths(kind):
        put(obj, path, [copy.deepcopy(value) for _ in range(4)])
    assert kind.canonical(copy.deepcopy(obj)) == one_declaration_at_a_time(kind, copy.deepcopy(obj))


def test_a_default_that_fills_what_other_operations_walk_is_done_in_steps() -> None:
    assert compile_ops({"plan": {"tiers": []}}, ("plan.tiers[]",), (), (), ()) is None
    assert compile_ops({"plan.currency": "USD"}, ("plan.tiers[]",), (), (), ()) is not None


def test_sorts_stay_in_declared_order_when_grouped_by_mapping() -> None:
    from revsync.kinds.normalize import group_sorts, sort_lists

    specs = {"aggs": ("name",), "aggs[].tiers": None, "tags": None}
    assert group_sorts(specs) == (
        ("", (("aggs", ("name",)),)),
        ("aggs[]", (("tiers", None),)),
        ("", (("tags", None),)),
    )
    # equal names: the tie-break sees the tiers as they are when the aggregations sort
    obj = {"aggs": [{"name": "x", "tiers": ["b", "a"]}, {"name": "x", "tiers": ["a", "c"]}]}
    one_at_a_time = copy.deepcopy(obj)
    for path, fields in specs.items():
        sort_lists(one_at_a_time, group_sorts({path: fields}))
    sort_lists(obj, group_sorts(specs))
    assert obj == one_at_a_time


def test_a_kind_declined_grouping_gets_its_operations_one_declaration_at_a_time() -> None:
    from revsync.kinds.canonical_ops import apply_ops

    declared = ({"plan": {"tiers": [{"id": "t1", "upTo": "10"}]}}, ("plan.tiers[]",), (), ())
    declared += (("plan.tiers[].upTo",),)
    assert compile_ops(*declared) is None
    obj: dict[str, Any] = {}
    apply_ops(obj, compile_ops(*declared, grouped=False))
    assert obj == {"plan": {"tiers": [{"upTo": 10}]}}  # filled, then walked
