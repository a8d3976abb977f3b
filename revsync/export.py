"""Writing the live account out as manifests that plan reads back with no changes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import kinds
from .core import paths
from .core.live import Account, LiveState
from .engine.api import Api
from .engine.live import read_live
from .kinds.base import UNKNOWN_ID_PREFIX, Kind
from .manifest.yaml_writer import dump


@dataclass
class Export:
    files: dict[str, str] = field(default_factory=dict)  # kind -> YAML text
    variables: list[str] = field(default_factory=list)  # environment variables to set
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class _ExportNames:
    """id -> name, except for names several live objects share (then the id is kept)."""

    def __init__(self, live: LiveState) -> None:
        keys: dict[tuple[str, tuple], list[str]] = defaultdict(list)
        for obj in live.all():
            keys[(obj.kind, kinds.get(obj.kind).fold(obj.key))].append(obj.id)
        self._names: dict[tuple[str, str], str] = {}
        self._ids: dict[tuple[str, str], str] = {}
        for obj in live.all():
            if len(keys[(obj.kind, kinds.get(obj.kind).fold(obj.key))]) == 1:
                self._names[(obj.kind, obj.id)] = obj.name
                self._ids[(obj.kind, obj.name)] = obj.id

    def name_of(self, kind: str, ident: str) -> str | None:
        return self._names.get((kind, ident))

    def id_of(self, kind: str, name: str) -> str | None:
        return self._ids.get((kind, name))


def export_account(client: Api, account: Account, api_url: str, kind_names: list[str]) -> Export:
    wanted = set(kind_names)
    for name in kind_names:
        wanted |= {ref.target for ref in kinds.get(name).refs}
    live = read_live(client, account, [k for k in kinds.names() if k in wanted])
    names = _ExportNames(live)
    result = Export()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    for obj in live.unsafe:
        result.warnings.append(f"skipped {obj.address}: its id {obj.id!r} is not usable")
    for kind_name in kind_names:
        kind = kinds.get(kind_name)
        objects = sorted((o for o in live.of(kind_name) if o.managed), key=lambda o: (o.name, o.id))
        counts: dict[tuple, int] = defaultdict(int)
        for obj in objects:
            counts[kind.fold(obj.key)] += 1
        entries = []
        for obj in objects:
            entry = entry_for(kind, obj.raw, names)
            if counts[kind.fold(obj.key)] > 1:
                entry = {"id": obj.id, **entry}  # first: the id is what tells them apart
                result.warnings.append(
                    f"{counts[kind.fold(obj.key)]} {kind_name} are named '{obj.name}': "
                    "each is pinned with its id"
                )
            for field_name, prefix in kind.export_env.items():
                variable = f"{prefix}_{_slug(obj.name)}"
                entry[field_name] = f"${{{variable}}}"
                result.variables.append(variable)
            entries.append(entry)
        header = (
            f"# Exported by revsync from {api_url} (team {account.team_id}) on {stamp}.\n"
            "# yaml-language-server: $schema=https://revsync.dev/schemas/manifest.schema.json\n"
        )
        if kind.export_env:
            header += (
                f"# {', '.join(kind.export_env)}: write-only in Revenium, so not exported; set "
                "the ${...} variables below before plan/apply.\n"
            )
        result.files[kind_name] = header + dump({"version": 1, kind_name: entries})
        result.counts[kind_name] = len(entries)
    result.warnings = sorted(set(result.warnings))
    return result


def entry_for(kind: Kind, raw: dict[str, Any], names: _ExportNames) -> dict[str, Any]:
    """One live object as a manifest entry: names for references, no defaults."""
    obj = kind.normalize_live(raw, names)
    for path, default in kind.defaults.items():
        parent_path, _, leaf = path.rpartition(".")
        for container in paths.mappings(obj, parent_path):
            if container.get(leaf) == default:
                container.pop(leaf)
    for ref in kind.refs:
        if not ref.raw:
            continue
        for container in paths.mappings(obj, ref.container):
            value = container.get(ref.field)
            items = value if isinstance(value, list) else [value]
            if not any(isinstance(v, str) and v.startswith(UNKNOWN_ID_PREFIX) for v in items):
                continue
            ids = [
                v[len(UNKNOWN_ID_PREFIX) :]
                if v.startswith(UNKNOWN_ID_PREFIX)
                else names.id_of(ref.target, v)
                for v in items
            ]
            container.pop(ref.field)
            container[ref.raw] = ids if ref.many else ids[0]
    first = {f: obj.pop(f) for f in kind.key_fields if f in obj}
    return {**first, **obj}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "X"
