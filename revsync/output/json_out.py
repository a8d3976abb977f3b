"""JSON output of plan, apply and drift: versioned (schemas/plan.schema.json), secrets masked,
stable order, camelCase keys like the Revenium API."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..engine.plan import Plan
from ..engine.report import ApplyReport

SCHEMA_VERSION = 1


def target_document(target: dict[str, str]) -> dict[str, str]:
    """The account a document is about, in the API's camelCase like every other key."""
    return {
        "apiUrl": target["api_url"],
        "teamId": target["team_id"],
        "tenantId": target["tenant_id"],
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "schemaVersion": SCHEMA_VERSION,
        "kind": "plan",
        "target": target_document(plan.target),
        "summary": {**plan.counts(), "unchanged": plan.unchanged},
        "refused": plan.refused,
        "changes": [c.to_dict(steps=False) for c in plan.changes],
        "refusals": [asdict(r) for r in plan.refusals],
        "safety": list(plan.safety),
        "notes": list(plan.notes),
        "unmanaged": [asdict(u) for u in plan.unmanaged],
    }


def apply_document(plan: Plan, report: ApplyReport | None) -> dict[str, Any]:
    return {
        "schemaVersion": SCHEMA_VERSION,
        "kind": "apply",
        "plan": plan_document(plan),
        "result": report.to_dict() if report is not None else None,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)
