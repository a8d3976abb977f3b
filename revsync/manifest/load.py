"""From paths on disk to a validated desired state, collecting every problem at once."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import kinds
from ..core.desired import DesiredState, Entry
from ..core.location import Location, LocDict, env_variables, sensitive_paths
from ..core.problems import NOTE, Problem
from . import schema, semantic
from .interpolate import secret_variable
from .yaml_reader import Limits, read_file

SUFFIXES = (".yaml", ".yml")
RENAMED_FROM = "previousNames"  # not an API field: how the engine matches a renamed object
NONE: frozenset = frozenset()  # shared by the entries with no value from the environment


@dataclass
class LoadResult:
    state: DesiredState
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def manifest_files(targets: Sequence[str]) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(path, display name) of every manifest file; hidden files and folders are skipped."""
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(Problem(f"{target}: no *.yaml or *.yml files in this folder"))
            files += [(p, display(p)) for p in found]
        elif path.is_file():
            files.append((path, display(path)))
        else:
            problems.append(Problem(f"{target}: no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for path, shown in files:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append((path, shown))
    return unique, problems


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(
    targets: Sequence[str],
    env: Mapping[str, str] | None = None,
    strict: bool = False,
    limits: Limits = Limits(),
    require_env: bool = True,
) -> LoadResult:
    """Read and check manifests. `require_env=False` is offline validation: an unset
    `${VAR}` is a placeholder (a note), and checks of the values it stands for are skipped."""
    with _no_gc_pauses():
        return _load(targets, os.environ if env is None else env, strict, limits, require_env)


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Loading makes hundreds of thousands of containers and no reference cycles; the
    cycle collector would walk them over and over (a tenth of the time at 13,000 objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(
    targets: Sequence[str],
    env: Mapping[str, str],
    strict: bool,
    limits: Limits,
    require_env: bool,
) -> LoadResult:
    state = DesiredState()
    result = LoadResult(state)
    files, problems = manifest_files(targets)
    result.errors += problems
    unset: list[tuple[str, Location]] | None = None if require_env else []
    for path, shown in files:
        state.files.append(shown)
        documents, problems = read_file(path, shown, env, limits, unset)
        result.errors += problems
        for doc in documents:
            _take_document(doc, shown, state, result)
    if not files and not result.errors:
        result.errors.append(Problem("no manifest files given"))
    _mark_secrets(state)
    errors, warnings = semantic.check(state, strict)
    result.errors += errors
    result.warnings += warnings
    if unset:
        _placeholders(unset, result)
    result.errors.sort(key=Problem.sort_key)
    result.warnings.sort(key=Problem.sort_key)
    return result


def _take_document(doc: Any, shown: str, state: DesiredState, result: LoadResult) -> None:
    if doc is None:
        return
    if not isinstance(doc, LocDict):
        result.errors.append(
            Problem(
                "a manifest document must be a mapping of kinds (e.g. 'products:')",
                getattr(doc, "loc", None) or Location(shown, 1, 1),
            )
        )
        return

    def addresser(path: tuple) -> tuple[str | None, tuple]:
        if len(path) >= 2 and path[0] in kinds.KINDS and isinstance(path[1], int):
            kind = kinds.get(str(path[0]))
            items = doc.get(path[0])
            item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
            key = kind.key_of(item) if isinstance(item, dict) else None
            name = "/".join(key) if key else f"#{path[1] + 1}"
            return f"{kind.name}/{name}", path[2:]
        return None, path

    result.errors += schema.check_document(doc, addresser)
    _take_settings(doc, state, result)
    for kind in kinds.KINDS.values():
        if kind.name not in doc:
            continue
        state.managed_kinds.add(kind.name)
        items = doc.get(kind.name)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, LocDict):
                continue
            key = kind.key_of(item)
            if key is None:
                continue
            location = items.item_loc(index) or doc.loc
            previous = item.pop(RENAMED_FROM, None)
            env_paths = frozenset(sensitive_paths(item)) or NONE
            pinned = item.get("id")
            state.entries.setdefault(kind.name, []).append(
                Entry(
                    kind=kind.name,
                    key=key,
                    fields=item,
                    location=location,
                    pinned_id=pinned if isinstance(pinned, str) else None,
                    env_paths=env_paths,
                    previous_names=tuple(p for p in previous if isinstance(p, str))
                    if isinstance(previous, list)
                    else (),
                )
            )


def _take_settings(doc: LocDict, state: DesiredState, result: LoadResult) -> None:
    raw = doc.get("settings")
    if not isinstance(raw, LocDict):
        return
    where = doc.key_loc("settings")
    first = state.settings_location
    settings = state.settings
    if "prune" in raw and isinstance(raw["prune"], bool):
        if first and settings.prune != raw["prune"] and state.prune_set:
            result.errors.append(
                Problem(f"settings.prune differs from the value given at {first}", where)
            )
        settings.prune = settings.prune or raw["prune"]
        state.prune_set = True
    for name, attr in (
        ("maxDeletePercent", "max_delete_percent"),
        ("maxUpdatePercent", "max_update_percent"),
    ):
        value = raw.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        if name in state.percent_set and float(value) != getattr(settings, attr):
            result.errors.append(
                Problem(f"settings.{name} differs from the value given at {first}", where)
            )
        setattr(settings, attr, float(value))
        state.percent_set.add(name)
    if isinstance(raw.get("protect"), list):
        settings.protect += tuple(p for p in raw["protect"] if isinstance(p, str))
    if isinstance(raw.get("sensitive"), list):
        settings.sensitive += tuple(v for v in raw["sensitive"] if isinstance(v, str))
    state.settings_location = first or where


def _mark_secrets(state: DesiredState) -> None:
    """What every output masks: secret fields, and values from secret variables (listed in
    `settings.sensitive` or named like one). Known once every file's settings are read."""
    listed = set(state.settings.sensitive)
    for entry in state.all():
        kind = kinds.get(entry.kind)
        secret_fields = kind.secret_fields | kind.write_only
        fields = {(f,) for f in secret_fields if f in entry.fields}
        from_secrets = {
            path
            for path, names in env_variables(entry.fields).items()
            if any(secret_variable(name, listed) for name in names)
        }
        entry.sensitive = frozenset(fields | from_secrets) or NONE


def _placeholders(unset: list[tuple[str, Location]], result: LoadResult) -> None:
    """One note per unset variable; errors about the values it stands for are dropped."""
    where = {loc for _, loc in unset}
    result.errors = [p for p in result.errors if p.location not in where]
    result.warnings = [p for p in result.warnings if p.location not in where]
    first: dict[str, list[Location]] = {}
    for name, loc in unset:
        first.setdefault(name, []).append(loc)
    for name, locs in first.items():
        more = f" (and {len(locs) - 1} more place(s))" if len(locs) > 1 else ""
        result.warnings.append(
            Problem(
                f"environment variable {name} is not set: checked as a placeholder{more} "
                "(plan and apply need it; validate --require-env makes this an error)",
                locs[0],
                code="env.placeholder",
                severity=NOTE,
            )
        )
