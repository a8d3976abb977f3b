"""The saved plan file: written by `plan --out`, read by `apply --plan` and `show`.

Manifest paths are stored relative to the repository root (the git top level, else the
working directory), so a CI job that checks the repository out elsewhere finds them.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import RevsyncError
from ..core.files import write_atomic
from .plan import PLAN_FORMAT, Plan
from .plan_checks import version_problem

PLAN_FILE_MARKER = "revsyncPlan"


def save_plan(plan: Plan, path: str) -> None:
    data = {PLAN_FILE_MARKER: PLAN_FORMAT, **plan.to_dict()}
    root = repository_root()
    data["manifests"] = [_from_root(name, root) for name in plan.manifests]
    text = json.dumps(data, indent=1, ensure_ascii=False, default=str)
    write_atomic(path, text + "\n")


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


def repository_root(start: Path | None = None) -> Path:
    """The git top level above `start` (the working directory), else `start` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def manifest_paths(plan: Plan, plan_file: str) -> tuple[str, ...]:
    """The plan's manifests found from the repository root; say where we looked if not."""
    root = repository_root()
    found = [root / name for name in plan.manifests]
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        raise RevsyncError(
            f"{plan_file} names manifests that are not here: {', '.join(missing)} "
            f"(looked relative to the repository root {root})",
            "Run apply from a checkout of the repository the plan was made in, "
            "or give the manifest paths after --plan FILE.",
        )
    return tuple(str(p) for p in found)


def _from_root(name: str, root: Path) -> str:
    resolved = Path(name).resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return str(resolved)
