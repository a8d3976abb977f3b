"""Stage 2 of planning: what `--prune` deletes, and which live objects no entry matches.

Known before request bodies are built, so a reference to a doomed object fails the plan.
An object that something the plan keeps still uses is kept: Revenium refuses its delete.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import kinds
from ..core import paths
from ..core.desired import DesiredState, Entry
from ..core.live import LiveObject, LiveState
from ..core.refs import Ref
from ..kinds.normalize import EMPTY
from .match import Binding
from .plan import Unmanaged
from .targets import Pattern


@dataclass
class Pruning:
    doomed: dict[tuple[str, str], LiveObject] = field(default_factory=dict)  # (kind, id)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Protection:
    """`settings.protect`, matched with each kind's own key rules (emails ignore case)."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.patterns = [Pattern.parse(p) for p in dict.fromkeys(entries)]

    def reason(self, obj: LiveObject) -> str | None:
        for p in self.patterns:
            if p.matches(obj.kind, obj.name, obj.id):
                return "is protected: kept"
        for p in self.patterns:
            if p.matches_ignoring_case(obj.kind, obj.name):
                return (
                    f"is kept: settings.protect names '{p.text}', which differs only in case "
                    "(names of this kind are case-sensitive; fix the entry)"
                )
        return None

    def unmatched(self, state: DesiredState, live: LiveState) -> list[str]:
        """Every protect entry that names no live object and no entry: it protects nothing."""
        out = []
        for p in self.patterns:
            if p.kind not in live.read_kinds:
                continue  # not read: unknown kinds are named by validate
            names = [(e.kind, e.name, e.pinned_id) for e in state.of(p.kind)]
            names += [(o.kind, o.name, o.id) for o in live.of(p.kind)]
            if any(p.matches(*n) for n in names):
                continue
            near = [n for k, n, _ in names if p.matches_ignoring_case(k, n)]
            hint = f"; did you mean {p.kind}/{near[0]}?" if near else ""
            out.append(
                f"warning: settings.protect '{p.text}' matches no {kinds.get(p.kind).title} "
                f"in Revenium or the manifests: it protects nothing{hint}"
            )
        return out


def prune(state: DesiredState, live: LiveState, binding: Binding, enabled: bool) -> Pruning:
    out = Pruning()
    guard = Protection(state.settings.protect)
    for kind in kinds.KINDS.values():
        if kind.name not in state.managed_kinds:
            continue
        contested = _contested_keys(kind, binding)
        for obj in live.of(kind.name):
            if (kind.name, obj.id) in binding.bound_ids or not obj.managed:
                continue
            if kind.fold(obj.key) in contested:
                continue  # an entry names it but cannot choose: refused, never deleted
            out.unmanaged.append(Unmanaged(kind.name, obj.name, obj.id))
            if not enabled:
                continue
            reason = guard.reason(obj) or kind.deletable(obj)
            if reason:
                out.notes.append(f"{obj.address} (id {obj.id}) {reason}")
            else:
                out.doomed[(kind.name, obj.id)] = obj
    _keep_what_kept_objects_use(live, binding, out)
    out.notes += guard.unmatched(state, live)
    return out


def _keep_what_kept_objects_use(live: LiveState, binding: Binding, out: Pruning) -> None:
    """Undoom every object that a live object outlasting the plan still refers to.

    Revenium refuses (409) to delete what another object uses, so such a delete would fail
    in apply. The holder is any live object the plan does not delete, unless its entry
    states the field (then the update drops the reference first, or names the doomed
    object, which references.py refuses). Kept objects hold their own references: repeat.
    """
    if not out.doomed:
        return
    holds = [(o, target, value) for o in live.all() for target, value in _held(o, binding)]
    kept = True
    while kept:
        kept = False
        index = {}
        for obj in out.doomed.values():
            index[(obj.kind, obj.id)] = obj
            index[(obj.kind, "/".join(kinds.get(obj.kind).fold(obj.key)))] = obj
        for holder, target, value in holds:
            obj = index.get((target, value))
            if obj is None or obj is holder or (holder.kind, holder.id) in out.doomed:
                continue
            if out.doomed.pop((obj.kind, obj.id), None) is not None:
                out.notes.append(_kept_note(obj, holder, binding))
                kept = True


def _held(obj: LiveObject, binding: Binding) -> list[tuple[str, str]]:
    """(target kind, id or key) of the references `obj` still holds after the plan."""
    kind = kinds.get(obj.kind)
    entry = binding.bound_ids.get((obj.kind, obj.id))
    held = {r.target for r in kind.refs if entry is None or _left_to_revenium(kind, r, entry)}
    return [(t, v) for t, v, _ in kind.live_refs(obj.raw) if t in held]


def _left_to_revenium(kind: kinds.Kind, ref: Ref, entry: Entry) -> bool:
    """True when the entry leaves the reference's field to Revenium: the update keeps it."""
    top = _manifest_field(ref)
    if kind.merge_compare:  # only what the entry sets is compared and sent; [] sets nothing
        value = entry.fields.get(top)
        if value is None and not ref.container and ref.raw:
            value = entry.fields.get(ref.raw)
        return value in EMPTY
    return top in kind.left_to_revenium(entry.fields)


def _manifest_field(ref: Ref) -> str:
    return paths.root(ref.container or ref.field)


def _kept_note(obj: LiveObject, holder: LiveObject, binding: Binding) -> str:
    kept = f"{obj.address} (id {obj.id}) is kept: {holder.address} (id {holder.id}) still uses it"
    if (holder.kind, holder.id) not in binding.bound_ids:
        return f"{kept}, and this plan does not delete that (Revenium refuses the delete)"
    refs = kinds.get(holder.kind).refs
    fields = " and ".join(sorted({_manifest_field(r) for r in refs if r.target == obj.kind}))
    return (
        f"{kept}, and its entry leaves {fields} as Revenium has it (not set, or empty); "
        f"set {fields} without {obj.name!r} to delete it"
    )


def _contested_keys(kind: kinds.Kind, binding: Binding) -> set[tuple]:
    """Keys (and previous names) of refused entries: the live objects they name stay."""
    refused = [
        e
        for entries in binding.entries_by_key.get(kind.name, {}).values()
        for e in entries
        if id(e) in binding.refused
    ]
    keys = {kind.fold(e.key) for e in refused}
    keys |= {kind.fold(kind.parse_name(old)) for e in refused for old in e.previous_names}
    return keys
