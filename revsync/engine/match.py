"""Stage 1 of planning: which live object each manifest entry is (or none: a create)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .. import kinds
from ..core.desired import DesiredState, Entry
from ..core.live import LiveObject, LiveState
from .plan import Refusal


def entry_keys(state: DesiredState) -> dict[int, str]:
    """A unique change key per entry: kind/name, or kind/name#id for pinned duplicates."""
    counts: dict[str, int] = defaultdict(int)
    for entry in state.all():
        counts[entry.address] += 1
    return {
        id(e): f"{e.address}#{e.pinned_id}" if counts[e.address] > 1 else e.address
        for e in state.all()
    }


@dataclass
class Binding:
    """Entries matched to live objects, indexes by key, and entries the plan refuses."""

    keys: dict[int, str]  # id(entry) -> change key
    bound: dict[int, LiveObject] = field(default_factory=dict)  # id(entry) -> live object
    bound_ids: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (kind, id) -> entry
    refused: dict[int, Refusal] = field(default_factory=dict)
    entries_by_key: dict[str, dict[tuple, list[Entry]]] = field(default_factory=dict)
    live_by_key: dict[str, dict[tuple, list[LiveObject]]] = field(default_factory=dict)
    live_by_id: dict[tuple[str, str], LiveObject] = field(default_factory=dict)
    renamed: dict[int, str] = field(default_factory=dict)  # id(entry) -> previous name matched

    def bind(self, entry: Entry, obj: LiveObject) -> None:
        self.bound[id(entry)] = obj
        self.bound_ids[(obj.kind, obj.id)] = entry

    def refuse(self, entry: Entry, reason: str) -> None:
        self.refused[id(entry)] = Refusal(self.keys[id(entry)], reason, str(entry.location))


def match(state: DesiredState, live: LiveState) -> Binding:
    binding = Binding(entry_keys(state))
    for kind in kinds.KINDS.values():
        match_kind(binding, kind, state, live)
    return binding


def match_kind(binding: Binding, kind: kinds.Kind, state: DesiredState, live: LiveState) -> None:
    """One kind's entries and live objects (all of them read): a kind's matching looks at
    nothing of another kind, so kinds may be matched one by one as their reads end."""
    by_key: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in state.of(kind.name):
        by_key[kind.fold(entry.key)].append(entry)
    binding.entries_by_key[kind.name] = by_key
    live_key: dict[tuple, list[LiveObject]] = defaultdict(list)
    for obj in live.of(kind.name):
        live_key[kind.fold(obj.key)].append(obj)
        binding.live_by_id[(kind.name, obj.id)] = obj
    binding.live_by_key[kind.name] = live_key
    _match_kind(kind, state, live, binding)
    _match_renames(kind, state, binding)


def _match_kind(kind: kinds.Kind, state: DesiredState, live: LiveState, binding: Binding) -> None:
    entries = state.of(kind.name)
    by_key = binding.live_by_key[kind.name]
    taken: set[str] = set()
    for entry in (e for e in entries if e.pinned_id):
        obj = binding.live_by_id.get((kind.name, entry.pinned_id or ""))
        if obj is None or not obj.managed:
            binding.refuse(
                entry,
                f"pinned id {entry.pinned_id} is not a {kind.title} in this account "
                "(deleted, or another team's?); remove the id to create it anew",
            )
            continue
        binding.bind(entry, obj)
        taken.add(obj.id)
    unsafe = {kind.fold(o.key) for o in live.unsafe if o.kind == kind.name}
    for entry in (e for e in entries if not e.pinned_id):
        key = kind.fold(entry.key)
        free = [o for o in by_key.get(key, []) if o.managed and o.id not in taken]
        if len(free) == 1:
            binding.bind(entry, free[0])
            taken.add(free[0].id)
        elif len(free) > 1:
            ids = ", ".join(o.id for o in free)
            binding.refuse(
                entry,
                f"{len(free)} live {kind.name} match '{entry.name}' (ids {ids}); "
                "pin one with 'id:' in the manifest",
            )
        elif key in unsafe:
            binding.refuse(
                entry,
                "a live object with this name has an id revsync will not put in a URL; "
                "fix it in Revenium",
            )


def _match_renames(kind: kinds.Kind, state: DesiredState, binding: Binding) -> None:
    """An unmatched entry's `previousNames`: the one live object by an old name that no entry
    claims is this entry renamed (an update, as Terraform's `moved` blocks)."""
    claimed = set(binding.entries_by_key[kind.name])
    for entry in state.of(kind.name):
        if id(entry) in binding.bound or id(entry) in binding.refused or entry.pinned_id:
            continue
        found: list[LiveObject] = []
        for old in entry.previous_names:
            key = kind.fold(kind.parse_name(old))
            if key in claimed:
                continue  # another entry has that name now: it is that entry's object
            found += [
                o
                for o in binding.live_by_key[kind.name].get(key, [])
                if o.managed and (kind.name, o.id) not in binding.bound_ids
            ]
        if len(found) == 1:
            binding.bind(entry, found[0])
            binding.renamed[id(entry)] = found[0].name
        elif len(found) > 1:
            ids = ", ".join(o.id for o in found)
            binding.refuse(
                entry,
                f"{len(found)} live {kind.name} match the previous names of '{entry.name}' "
                f"(ids {ids}); pin one with 'id:' in the manifest",
            )
