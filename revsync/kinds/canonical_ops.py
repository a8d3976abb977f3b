"""The in-place part of a kind's canonical form, compiled once per kind.

`Kind.canonical` fills defaults, drops nested server ids, and rewrites dates, key
references and amounts, each at its own paths. Done a declaration at a time, a product walks
`plan.tiers[]` seven times per object; on every plan's hot path (every live object and
every entry), so the operations are grouped by the mapping they touch and each group's
mappings are reached once. Operations touch only leaves of the mappings they are given, so
the grouping changes nothing but the number of walks; `compile_ops` declines (None) a kind
whose default fills a mapping or list that other operations walk into; such a kind gets the
same operations one declaration at a time (`grouped=False`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core import paths
from .normalize import canonical_datetime, decimal, fill_default

Op = Callable[[dict[str, Any]], None]
Ops = tuple[tuple[str, tuple[Op, ...]], ...]  # (mapping path, what to do in each)


def compile_ops(
    defaults: dict[str, Any],
    nested_ids: tuple[str, ...],
    datetime_fields: tuple[str, ...],
    folded_refs: tuple[tuple[str, str], ...],
    decimal_fields: tuple[str, ...],
    grouped: bool = True,
) -> Ops | None:
    """The operations by mapping path, each path in the order it first appears and each
    mapping's operations in declaration order (defaults, ids, dates, references, amounts).
    `folded_refs`: (mapping path, field) of references by key that compare case-folded.
    None when a default fills what other operations walk; `grouped=False` gives the same
    operations each walking its own path, in declaration order (what such a kind uses)."""
    declared: list[tuple[str, Op]] = []
    for path, value in defaults.items():
        parent, leaf = paths.parent_and_leaf(path)
        declared.append((parent, _default(leaf, value)))
    declared += [(path, _drop_id) for path in nested_ids]
    for path in datetime_fields:
        parent, leaf = paths.parent_and_leaf(path)
        declared.append((parent, _datetime(leaf)))
    declared += [(parent, _casefold(leaf)) for parent, leaf in folded_refs]
    for path in decimal_fields:
        parent, leaf = paths.parent_and_leaf(path)
        declared.append((parent, _decimal(leaf)))
    if not grouped:
        return tuple((parent, (op,)) for parent, op in declared)
    groups: dict[str, list[Op]] = {}
    for parent, op in declared:
        groups.setdefault(parent, []).append(op)
    if any(_walks_into(path, groups) for path in defaults):
        return None
    return tuple((parent, tuple(ops)) for parent, ops in groups.items())


def apply_ops(obj: dict[str, Any], ops: Ops) -> None:
    for parent, actions in ops:
        for mapping in [obj] if not parent else paths.mappings(obj, parent):
            for action in actions:
                action(mapping)


def _walks_into(path: str, groups: dict[str, list[Op]]) -> bool:
    return any(parent == path or parent.startswith((f"{path}.", f"{path}[]")) for parent in groups)


def _default(leaf: str, value: Any) -> Op:
    def fill(mapping: dict[str, Any]) -> None:
        fill_default(mapping, leaf, value)

    return fill


def _drop_id(mapping: dict[str, Any]) -> None:
    mapping.pop("id", None)


def _datetime(leaf: str) -> Op:
    def rewrite(mapping: dict[str, Any]) -> None:
        if leaf in mapping:
            mapping[leaf] = canonical_datetime(mapping[leaf])

    return rewrite


def _casefold(leaf: str) -> Op:
    def fold(mapping: dict[str, Any]) -> None:
        value = mapping.get(leaf)
        if isinstance(value, str):
            mapping[leaf] = value.casefold()

    return fold


def _decimal(leaf: str) -> Op:
    def rewrite(mapping: dict[str, Any]) -> None:
        value = mapping.get(leaf)
        if value is not None:
            mapping[leaf] = decimal(value)

    return rewrite
