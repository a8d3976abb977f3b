"""The saved plan file: written by `plan --out`, read by `apply --plan` and `show`."""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import RevsyncError
from .plan import PLAN_FORMAT, Plan
from .plan_checks import version_problem

PLAN_FILE_MARKER = "revsyncPlan"


def save_plan(plan: Plan, path: str) -> None:
    data = {PLAN_FILE_MARKER: PLAN_FORMAT, **plan.to_dict()}
    text = json.dumps(data, indent=1, ensure_ascii=False, default=str)
    Path(path).write_text(text + "\n", encoding="utf-8")


def load_plan(path: str) -> Plan:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RevsyncError(f"cannot read plan file {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError):
        raise RevsyncError(f"{path} is not a revsync plan file (not JSON)") from None
    if not isinstance(data, dict) or PLAN_FILE_MARKER not in data:
        raise RevsyncError(f"{path} is not a revsync plan file")
    problem = version_problem(data[PLAN_FILE_MARKER])
    if problem:
        raise RevsyncError(f"{path} cannot be applied: {problem}")
    try:
        return Plan.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise RevsyncError(f"{path} is a damaged plan file ({exc})") from None
