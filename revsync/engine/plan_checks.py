"""What a saved plan must pass before one of its steps is sent (issue 12: a forged plan).

A plan file is data from disk: someone may have edited it. Its steps are only obeyed when
every path is a relative API path under a kind's own API path (no scheme, no host, no `..`,
no query), and when re-planning the same manifests against the account now yields exactly
the same changes and steps. The plan file format is versioned; an older file is refused.
"""

from __future__ import annotations

from typing import Any

from .. import kinds
from ..core.ids import SAFE_ID
from ..core.steps import Step
from .plan import PLAN_FORMAT, Change, Plan

METHODS = ("POST", "PUT", "PATCH", "DELETE")
ID_PLACEHOLDER = "{id}"
# what a re-plan must reproduce exactly (the manifest location may differ between checkouts)
COMPARED = ("key", "action", "kind", "name", "id", "fields", "dependsOn", "steps")


def version_problem(found: Any) -> str | None:
    """Why a plan file of format `found` cannot be applied (None: it can)."""
    if found == PLAN_FORMAT:
        return None
    if isinstance(found, int) and not isinstance(found, bool) and 0 < found < PLAN_FORMAT:
        return f"it was made by an older revsync (plan format {found}); run plan again"
    return f"its plan format {found!r} is not {PLAN_FORMAT}; run plan again with this revsync"


def unsafe_paths(plan: Plan) -> list[str]:
    """Every step (and look-up) whose method or path is not one revsync itself would send."""
    problems = []
    for change in plan.changes:
        for step in change.steps:
            why = _step_problem(change, step)
            if why:
                problems.append(f"{change.key}: {step.method} {step.path!r}: {why}")
    return problems


def _step_problem(change: Change, step: Step) -> str | None:
    if change.kind not in kinds.KINDS:
        return f"unknown kind {change.kind!r}"
    if step.method not in METHODS:
        return f"method {step.method!r} is not a write revsync sends"
    base = kinds.get(change.kind).api_path
    for path in (step.path, step.lookup.path if step.lookup else base):
        why = path_problem(path, base)
        if why:
            return why
    return None


def path_problem(path: Any, base: str) -> str | None:
    """None when `path` is `base` followed by id segments (or `{id}`); else why not."""
    if not isinstance(path, str):
        return "the path is not text"
    if "://" in path or path.startswith("//") or not path.startswith("/"):
        return "not a relative API path (a scheme or host would send the key elsewhere)"
    if path != base and not path.startswith(base + "/"):
        return f"not under {base}"
    for segment in path[len(base) :].split("/")[1:]:
        if segment != ID_PLACEHOLDER and not SAFE_ID.match(segment):
            return f"the path segment {segment!r} is not allowed"
    return None


def differences(saved: Plan, now: Plan) -> list[str]:
    """How the saved plan's changes differ from a plan made now (empty: identical)."""
    before = {c.key: _comparable(c) for c in saved.changes}
    after = {c.key: _comparable(c) for c in now.changes}
    out = [f"{key}: not in a plan made now" for key in before if key not in after]
    out += [f"{key}: missing from the saved plan" for key in after if key not in before]
    out += [
        f"{key}: its steps or fields differ from a plan made now"
        for key in before
        if key in after and before[key] != after[key]
    ]
    return out


def _comparable(change: Change) -> dict[str, Any]:
    data = change.to_dict()
    return {name: data.get(name) for name in COMPARED}
