"""The contract every registered kind keeps, checked for each kind the registry finds.

A new kind is picked up here with no edit; it only needs a sample manifest
`samples/<kind>.yaml` (its entries and whatever they reference), as rich as the kind is.
The API answers come from the emulator: it renders objects the way Revenium does (nested
references, server fields, defaults) without sharing a line with revsync's kinds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from revsync import kinds
from revsync.client.config import Credentials
from revsync.client.http import ApiClient
from revsync.core.desired import DesiredState
from revsync.core.live import Account
from revsync.emulator import Emulator
from revsync.engine.live import kinds_to_read, read_live
from revsync.engine.match import match
from revsync.engine.planner import PlanOptions
from revsync.engine.references import Names
from revsync.export import export_account
from revsync.manifest.load import load
from revsync.manifest.schema_build import BASE_FILE, kind_fragment
from revsync.service import Target, compute_plan, execute

SAMPLES = Path(__file__).with_name("samples")
WEBHOOK = "https://hooks.slack.com/services/T0001/B0001/contract-test-token"
KIND_NAMES = kinds.names()


def sample(kind_name: str) -> DesiredState:
    path = SAMPLES / f"{kind_name}.yaml"
    assert path.is_file(), f"add a sample manifest for the new kind: {path}"
    loaded = load([str(path)], env={"SLACK_WEBHOOK": WEBHOOK})
    assert loaded.ok, "\n".join(map(str, loaded.errors))
    assert loaded.state.of(kind_name), f"{path} has no {kind_name} entries"
    return loaded.state


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(rate_limit=0) as emu:
        yield emu


@pytest.fixture
def target(emulator: Emulator) -> Iterator[Target]:
    emulator.reset()
    credentials = Credentials(
        emulator.api_url,
        emulator.api_key,
        emulator.team_id,
        emulator.tenant_id,
        emulator.owner_id,
        {},
    )
    account = Account(emulator.team_id, emulator.tenant_id, emulator.owner_id)
    with ApiClient(credentials, timeout=5, retry_time=5) as client:
        yield Target(client, account, emulator.api_url, lookup_window=1)


def applied(target: Target, state: DesiredState) -> None:
    report = execute(target, compute_plan(target, state, PlanOptions()))
    assert report.ok, [(r.key, r.error) for r in report.results if not r.ok]


@pytest.mark.parametrize("kind_name", KIND_NAMES)
def test_the_api_answer_normalises_to_the_desired_entry(target: Target, kind_name: str) -> None:
    state = sample(kind_name)
    applied(target, state)
    live = read_live(target.api, target.account, kinds_to_read(state, prune=False))
    binding = match(state, live)
    names = Names.of_account(live, state, binding)
    kind = kinds.get(kind_name)
    for entry in state.of(kind_name):
        answer = binding.bound[id(entry)].raw
        got, wanted = kind.comparable(
            entry.fields,
            kind.normalize_live(answer, names),
            kind.normalize_desired(entry.fields, names),
        )
        assert got == wanted, f"{entry.address}: the API answered {json.dumps(answer)}"


@pytest.mark.parametrize("kind_name", KIND_NAMES)
def test_export_then_plan_shows_no_changes(target: Target, kind_name: str, tmp_path: Path) -> None:
    state = sample(kind_name)
    applied(target, state)
    exported = export_account(target.api, target.account, target.api_url, [kind_name])
    assert exported.counts == {kind_name: len(state.of(kind_name))}
    for name, text in exported.files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    loaded = load([str(tmp_path)], env=dict.fromkeys(exported.variables, WEBHOOK))
    assert loaded.ok, "\n".join(map(str, loaded.errors))
    plan = compute_plan(target, loaded.state, PlanOptions())
    assert [c.to_dict(steps=False) for c in plan.changes] == []
    assert not plan.refused and plan.unchanged == len(state.of(kind_name))


@pytest.mark.parametrize("kind_name", KIND_NAMES)
def test_every_reference_path_is_in_the_kinds_schema(kind_name: str) -> None:
    kind = kinds.get(kind_name)
    fragment = kind_fragment(kind)
    entry_schema = fragment["$defs"][kind.schema_def]
    for ref in kind.refs:
        prefix = f"{ref.container}." if ref.container else ""
        for field in filter(None, (ref.field, ref.raw)):
            path = prefix + field
            assert _schema_at(entry_schema, path.split("."), fragment), (
                f"{kind_name}: reference path {path} is not in {kind.schema_def}"
            )


def _schema_at(node: dict[str, Any], parts: list[str], fragment: dict[str, Any]) -> bool:
    """Whether the path (with `[]` for list items) names a property the schema allows."""
    node = _deref(node, fragment)
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    name, many = head.removesuffix("[]"), head.endswith("[]")
    for branch in _branches(node, fragment):
        child = branch.get("properties", {}).get(name)
        if child is None:
            continue
        child = _deref(child, fragment)
        if many:
            if "items" not in child:
                continue
            child = child["items"]
        if _schema_at(child, rest, fragment):
            return True
    return False


def _branches(node: dict[str, Any], fragment: dict[str, Any]) -> list[dict[str, Any]]:
    out = [node]
    for word in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(word, []):
            out += _branches(_deref(branch, fragment), fragment)
    return out


def _deref(node: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    name = ref.removeprefix("#/$defs/")
    defs = {**json.loads(BASE_FILE.read_text(encoding="utf-8"))["$defs"], **fragment["$defs"]}
    return _deref(defs[name], fragment)


def test_the_schema_walk_can_fail() -> None:
    """The walk above finds what is there and nothing else."""
    fragment = {"$defs": {"item": {"properties": {"b": {"type": "string"}}}}}
    schema = {"properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/item"}}}}
    assert _schema_at(schema, ["a[]", "b"], fragment)
    assert not _schema_at(schema, ["a[]", "c"], fragment)
    assert not _schema_at(schema, ["a", "b"], fragment)
    assert not _schema_at(schema, ["x"], fragment)


class _SomeNames:
    """Names for half the ids, none for the rest: both ways a reference is shown."""

    def name_of(self, kind: str, ident: str) -> str | None:
        return f"{kind}-name-{ident[::-1]}" if sum(map(ord, ident)) % 2 else None


@pytest.mark.parametrize("kind_name", KIND_NAMES)
def test_a_form_prepared_before_the_names_are_known_is_the_same(
    target: Target, kind_name: str
) -> None:
    """Plans normalise answers while other kinds are still being read, and name the
    references afterwards: the result must be exactly what normalising at once gives."""
    state = sample(kind_name)
    applied(target, state)
    live = read_live(target.api, target.account, kinds_to_read(state, prune=False))
    kind = kinds.get(kind_name)
    for names in (Names.of_account(live, state, match(state, live)), _SomeNames()):
        for obj in live.of(kind_name):
            prepared = kind.prepare_live(obj.raw)
            if prepared is not None:
                assert kind.named(prepared, names) == kind.normalize_live(obj.raw, names)
                assert (
                    prepared.unnamed
                    or not kind.refs
                    or kind.normalize_live(obj.raw, _SomeNames())
                    == kind.normalize_live(obj.raw, names)
                )
        for entry in state.of(kind_name):
            prepared = kind.prepare_desired(entry.fields)
            if prepared is not None:
                assert kind.named(prepared, names) == kind.normalize_desired(entry.fields, names)
    plain_kind = type(kind).normalize_live is kinds.Kind.normalize_live
    assert kind.prepare_live({}) is not None or not (plain_kind or kind.names_only_in_refs)


class _Recorder:
    """A Binder that records what it is asked and answers a placeholder."""

    def __init__(self) -> None:
        self.asked: list[tuple] = []

    def resolve(self, kind: str, name: str, entry: Any, path: tuple) -> Any:
        self.asked.append((kind, name, path))
        return {"$ref": f"{kind}/{name}"}


@pytest.mark.parametrize("kind_name", KIND_NAMES)
def test_references_resolve_without_a_body_as_the_body_resolves_them(kind_name: str) -> None:
    """Unchanged entries only resolve their references (no body is built): the same
    references, in the same order, at the same paths as building the body asks for."""
    kind = kinds.get(kind_name)
    if type(kind).body is not kinds.Kind.body:
        pytest.skip("a kind with its own body is planned through its body")
    for entry in sample(kind_name).of(kind_name):
        by_body, alone = _Recorder(), _Recorder()
        kind.body(entry, by_body, Account("t", "n", "o"))
        kind.resolve_references(entry, alone)
        assert alone.asked == by_body.asked
