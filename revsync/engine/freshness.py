"""Is a plan still true? Compare what it read with what Revenium holds now."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import kinds
from ..core.live import LiveState
from ..core.steps import is_ref, is_secret
from .plan import Plan


def stale(plan: Plan, now: LiveState) -> list[str]:
    """Why the plan no longer fits the account (empty: it still does)."""
    fresh = now.fingerprints()
    reasons = []
    ids_now = {key.split(":", 1)[1] for key in fresh}
    ids_then = {key.split(":", 1)[1] for key in plan.fingerprints}
    keys_now: dict[tuple[str, tuple], str] = {}
    for obj in now.all():
        if obj.managed:
            keys_now.setdefault((obj.kind, kinds.get(obj.kind).fold(obj.key)), obj.id)
    for change in plan.changes:
        if change.action in ("update", "delete"):
            key = f"{change.kind}:{change.live_id}"
            if key not in fresh:
                reasons.append(f"{change.address} (id {change.live_id}) was deleted since the plan")
            elif fresh[key] != plan.fingerprints.get(key):
                reasons.append(f"{change.address} (id {change.live_id}) changed since the plan")
        elif change.action == "create":
            kind = kinds.get(change.kind)
            existing = keys_now.get((change.kind, kind.fold(kind.parse_name(change.name))))
            if existing is not None:
                reasons.append(f"{change.address} now exists in Revenium (id {existing})")
        for ident in _literal_ids(step.body for step in change.steps):
            if ident in ids_then and ident not in ids_now:
                reasons.append(f"{change.address} refers to id {ident}, deleted since the plan")
    return reasons


def touched_kinds(plan: Plan) -> list[str]:
    """The kinds a freshness check must re-read: changed kinds and kinds referred to by id."""
    wanted = {c.kind for c in plan.changes}
    kind_of = {}
    for key in plan.fingerprints:
        kind, _, ident = key.partition(":")
        kind_of[ident] = kind
    for change in plan.changes:
        for ident in _literal_ids(step.body for step in change.steps):
            if ident in kind_of:
                wanted.add(kind_of[ident])
    return [k for k in plan.read_kinds if k in wanted]


def _literal_ids(bodies: Iterable[Any]) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if is_ref(value) or is_secret(value):
            return
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.add(value)

    for body in bodies:
        walk(body)
    return found
