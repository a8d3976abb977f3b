"""Checks across entries that a JSON Schema cannot express: unique keys, references,
parent cycles, and each kind's own rules."""

from __future__ import annotations

from collections import defaultdict

from .. import kinds
from ..core import paths
from ..core.desired import DesiredState, Entry
from ..core.problems import ERROR, WARNING, Problem
from ..core.refs import Ref

CHECKED_BY_PLAN = "ref.not-in-manifests"  # a warning offline; plan checks it against Revenium


def check(state: DesiredState, strict: bool = False) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for the whole desired state."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    index = _Index(state)
    errors += duplicates(state, index)
    ref_errors, ref_warnings = references(state, strict, index)
    errors += ref_errors
    warnings += ref_warnings
    errors += cycles(state)
    for kind in kinds.KINDS.values():
        for entry in state.of(kind.name):
            for problem in kind.check(entry):
                (errors if problem.severity == ERROR else warnings).append(problem)
    errors += protected_names(state)
    errors += uncleared(state)
    warnings += literal_secrets(state)
    return errors, warnings


def duplicates(state: DesiredState, index: _Index) -> list[Problem]:
    problems = []
    for kind in kinds.KINDS.values():
        by_id: dict[str, Entry] = {}
        for entry in state.of(kind.name):
            if entry.pinned_id:
                first = by_id.setdefault(entry.pinned_id, entry)
                if first is not entry:
                    problems.append(
                        Problem(
                            f"id {entry.pinned_id} is pinned twice "
                            f"(also by {first.address} at {first.location})",
                            entry.where(("id",)),
                            entry.address,
                        )
                    )
        for group in index.by_key[kind.name].values():
            if len(group) < 2:
                continue
            pins = [e.pinned_id for e in group]
            if all(pins) and len(set(pins)) == len(pins):
                continue  # same name, different pinned objects: allowed (duplicates in Revenium)
            first = group[0]
            for other in group[1:]:
                problems.append(
                    Problem(
                        f"duplicate {kind.title} '{other.name}': also defined at {first.location}",
                        other.location,
                        other.address,
                    )
                )
    return problems


def ref_values(at: tuple, container: dict, ref: Ref) -> list[tuple[tuple, str]]:
    """(path, name) of every name one container gives for `ref`."""
    value = container.get(ref.field)
    if isinstance(value, str):
        return [((*at, ref.field), value)]
    if isinstance(value, list):
        return [((*at, ref.field, i), v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


class _Index:
    """Entries by folded key and names by kind, built once for all references."""

    def __init__(self, state: DesiredState) -> None:
        self.by_key: dict[str, dict[tuple, list[Entry]]] = {}
        self.names: dict[str, set[str]] = {}
        for kind in kinds.KINDS.values():
            by_key: dict[tuple, list[Entry]] = defaultdict(list)
            for entry in state.of(kind.name):
                by_key[kind.fold(entry.key)].append(entry)
            self.by_key[kind.name] = by_key
            self.names[kind.name] = {e.name for e in state.of(kind.name)}
        self._known: dict[str, list[str]] = {}

    def known(self, kind: str) -> list[str]:
        if kind not in self._known:
            self._known[kind] = sorted(self.names[kind])
        return self._known[kind]


def references(
    state: DesiredState, strict: bool, index: _Index
) -> tuple[list[Problem], list[Problem]]:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for kind in kinds.KINDS.values():
        for entry in state.of(kind.name):
            for ref in kind.refs:
                for at, container in paths.containers(entry.fields, ref.container):
                    problem = _presence(entry, ref, at, container)
                    if problem:
                        errors.append(problem)
                    for path, name in ref_values(at, container, ref):
                        problem, is_error = _resolve(index, entry, ref, path, name, strict)
                        if problem:
                            (errors if is_error else warnings).append(problem)
    return errors, warnings


def _presence(entry: Entry, ref: Ref, at: tuple, container: dict) -> Problem | None:
    """A reference given both by name and by id, or a required one given by neither."""
    has_name = container.get(ref.field) is not None
    has_raw = bool(ref.raw) and ref.raw != ref.field and container.get(ref.raw) is not None
    if has_name != has_raw or not (has_name or ref.required):
        return None  # exactly one given, or none of an optional one: nothing to say
    label = paths.fmt((*at, ref.field))
    if has_name:
        return Problem(
            f"{label}: give either '{ref.field}' or '{ref.raw}', not both",
            entry.where((*at, ref.raw)),
            entry.address,
        )
    return Problem(
        f"{label}: missing required field '{ref.field}'"
        + (f" (or '{ref.raw}')" if ref.raw else ""),
        entry.where(at) if at else entry.location,
        entry.address,
    )


def _resolve(
    index: _Index, entry: Entry, ref: Ref, path: tuple, name: str, strict: bool
) -> tuple[Problem | None, bool]:
    target = kinds.get(ref.target)
    matches = index.by_key[ref.target].get(target.fold(target.parse_name(name)), [])
    if len(matches) == 1:
        return None, False  # the common case: no location or label needed
    where = entry.where(path)
    label = paths.fmt(path)
    if len(matches) > 1:
        if not all(e.pinned_id for e in matches):
            return None, False  # the duplicate itself is reported
        return Problem(
            f"{label}: '{name}' is ambiguous: {len(matches)} {ref.target} entries have that name; "
            f"use '{ref.raw}' with the id",
            where,
            entry.address,
        ), True
    elsewhere = [k for k in kinds.names() if k != ref.target and name in index.names[k]]
    if elsewhere:
        return Problem(
            f"{label}: '{name}' is not a {target.title}: it names a {elsewhere[0]} entry; "
            f"'{ref.field}' refers to {ref.target}",
            where,
            entry.address,
        ), True
    known = index.known(ref.target)
    hint = f" (known: {', '.join(known[:10])}{', ...' if len(known) > 10 else ''})" if known else ""
    message = (
        f"{label}: {target.title} '{name}' is not in the manifests{hint}; "
        "it must already exist in Revenium (checked by plan)"
    )
    severity = ERROR if strict else WARNING
    return Problem(message, where, entry.address, CHECKED_BY_PLAN, severity), strict


def cycles(state: DesiredState) -> list[Problem]:
    problems = []
    for kind in kinds.KINDS.values():
        self_refs = [r for r in kind.refs if r.target == kind.name and not r.many]
        for ref in self_refs:
            parent_of = {}
            for entry in state.of(kind.name):
                value = entry.fields.get(ref.field)
                if isinstance(value, str):
                    parent_of[kind.fold(entry.key)] = (kind.fold((value,)), entry)
            reported: set = set()
            for start in parent_of:
                chain = [start]
                node = start
                while node in parent_of:
                    node = parent_of[node][0]
                    if node in chain:
                        loop = chain[chain.index(node) :]
                        if not reported & set(loop):
                            reported |= set(loop)
                            entry = parent_of[loop[0]][1]
                            names = " -> ".join(parent_of[k][1].name for k in loop)
                            problems.append(
                                Problem(
                                    f"{ref.field} cycle: {names} -> {entry.name}",
                                    entry.where((ref.field,)),
                                    entry.address,
                                )
                            )
                        break
                    chain.append(node)
    return problems


def uncleared(state: DesiredState) -> list[Problem]:
    """`field: null` asks to clear a field; where the API offers no way, say so (§6.1)."""
    problems = []
    for kind in kinds.KINDS.values():
        for field_name, how in kind.kept_when_omitted.items():
            if how is not None:
                continue
            for entry in state.of(kind.name):
                if field_name in entry.fields and entry.fields[field_name] is None:
                    problems.append(
                        Problem(
                            f"{field_name}: null cannot clear it: Revenium keeps the stored "
                            f"{field_name} when an update leaves it out or sends null, and "
                            "offers no way to clear it; remove the line to leave it as it is "
                            "in Revenium, or give the value it should have",
                            entry.where((field_name,)),
                            entry.address,
                            code="field.not-clearable",
                        )
                    )
    return problems


def protected_names(state: DesiredState) -> list[Problem]:
    problems = []
    for item in state.settings.protect:
        kind_name = item.split("/", 1)[0]
        if kind_name not in kinds.KINDS:
            problems.append(
                Problem(
                    f"settings.protect: '{item}' does not start with a kind "
                    f"({', '.join(kinds.names())})",
                    state.settings_location,
                )
            )
    return problems


def literal_secrets(state: DesiredState) -> list[Problem]:
    """Secrets written literally end up in git; say so (not an error: it works)."""
    warnings = []
    for kind in kinds.KINDS.values():
        for entry in state.of(kind.name):
            for name in kind.secret_fields:
                if name in entry.fields and (name,) not in entry.env_paths:
                    warnings.append(
                        Problem(
                            f"{name} is written literally; use ${{VAR}} so the secret "
                            "stays out of git",
                            entry.where((name,)),
                            entry.address,
                        )
                    )
    return warnings
