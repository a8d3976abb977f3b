"""AI cost controls / guardrails (revenium-api-more.md §4): created by POST, changed by PATCH.

The platform refuses PUT. PATCH keep/clear rules per field: scalars (`description`,
`groupBy`, `hardLimit`, `warnThreshold`, `denyMessage`) omitted = keep, null = clear;
`filters` and `notificationChannelIds` omitted = keep, [] = clear, else replaced whole;
`notificationEmails` [] = clear, else replaced, omitted or null = keep. An unknown id
answers 400, a deleted or foreign one 403.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, bad_request
from ..validation import F, check
from . import enums as E
from .base import Collection, Ctx, Route, exists_in_scope, require_object

ACTIONS = ("BLOCK", "WARN_ONLY")
METRICS = (
    "TOTAL_COST",
    "TOKEN_COUNT",
    "INPUT_TOKEN_COUNT",
    "OUTPUT_TOKEN_COUNT",
    "CACHED_TOKEN_COUNT",
    "ERROR_COUNT",
    "IMAGE_COUNT",
    "VIDEO_COUNT",
    "AUDIO_COUNT",
    "CHARACTER_COUNT",
    "CREDITS_CONSUMED",
)
WINDOWS = ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY")
FILTER = {
    "dimension": F("string", required=True, enum=E.DIMENSIONS),
    "operator": F("string", required=True, enum=E.FILTER_OPERATORS),
    "value": F("string"),
    "values": F("array", items=F("string")),
    "includeDescendants": F("boolean"),
}
COST_CONTROL = {
    "name": F("string"),
    "teamId": F("string"),
    "metricType": F("string", enum=METRICS),
    "windowType": F("string", enum=WINDOWS),
    "action": F("string", enum=ACTIONS),
    "description": F("string"),
    "enabled": F("boolean"),
    "shadowMode": F("boolean"),
    "hardLimit": F("decimal", minimum=0),
    "warnThreshold": F("decimal", minimum=0),
    "denyMessage": F("string"),
    "groupBy": F("string", enum=E.DIMENSIONS),
    "filters": F("array", items=F("object", fields=FILTER)),
    "notificationChannelIds": F("array", items=F("string")),
    "notificationEmails": F("array", items=F("string", format="email"), max_items=10),
}
CREATE_REQUIRED = ("name", "metricType", "windowType", "action", "hardLimit")
CREATE_PRESENT = ("description", "groupBy", "warnThreshold")  # required, may be null
NOT_NULL = ("name", "metricType", "windowType", "action", "enabled", "shadowMode")
EMAILS_KEEP_ON_NULL = "notificationEmails"


class CostControls(Collection):
    kind = "cost_control"
    segment = "ai/cost-controls"
    embedded = "costControlResourceList"
    resource_type = "cost_control"
    title = "Cost control"
    deleted_id_status = 403
    noun = "cost control"
    specs = COST_CONTROL

    def routes(self) -> list[Route]:
        s = self.segment
        return [
            Route("GET", s, lambda c, p, b: self.list(c)),
            Route("POST", s, lambda c, p, b: self.create(c, b)),
            Route("GET", s + "/{id}", lambda c, p, b: self.get(c, p["id"])),
            Route("PATCH", s + "/{id}", lambda c, p, b: self.patch(c, p["id"], b)),
            Route("DELETE", s + "/{id}", lambda c, p, b: self.delete(c, p["id"])),
        ]  # no PUT: the platform answers 405

    def unknown_id_error(self, ident: str) -> ApiError:
        return ApiError(400, f"Cost control {ident} does not exist")

    def create(self, ctx: Ctx, body: Any) -> tuple[int, Any]:
        body = require_object(body)
        errors = {n: "must not be null" for n in CREATE_REQUIRED if body.get(n) is None}
        errors.update({n: "is required" for n in CREATE_PRESENT if n not in body})
        if body.get("teamId") is None:
            errors["teamId"] = "must not be null"
        if errors:
            raise bad_request(errors)
        body = {"enabled": True, "shadowMode": False, **body}
        return super().create(ctx, body)

    def patch(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        self.check_team_param(ctx, required=False)
        existing = self.load(ctx, ident)
        body = require_object(body)
        errors = {n: "must not be null" for n in NOT_NULL if n in body and body[n] is None}
        if errors:
            raise bad_request(errors)
        merged = {k: v for k, v in existing.items() if k in COST_CONTROL}
        for name, value in body.items():
            if name not in COST_CONTROL or name == "teamId":
                continue
            if name == EMAILS_KEEP_ON_NULL and value is None:
                continue  # omitted or null keeps the stored emails
            merged[name] = value
        obj = self.accept(ctx, merged, existing)
        obj["id"], obj["created"], obj["updated"] = existing["id"], existing["created"], ctx.now
        self.server_fields(ctx, obj, existing)
        ctx.store.update(self.kind, obj, self.name_of(obj))
        return 200, self.render(ctx, obj)

    def accept(self, ctx: Ctx, body: dict, existing: dict | None) -> dict:
        emails = body.get("notificationEmails")
        if isinstance(emails, list):  # trimmed before they are checked
            body = {**body, "notificationEmails": [strip(e) for e in emails]}
        errors: dict[str, str] = {}
        obj = check(self.specs, body, errors)
        if not errors:
            self.validate(ctx, obj, errors, existing)
        if errors:
            raise bad_request(errors)
        obj.pop("teamId", None)
        obj["notificationEmails"] = clean_emails(obj.get("notificationEmails"))
        for row in obj.get("filters") or []:
            if row["dimension"] == "DEPARTMENT" and row.get("includeDescendants") is None:
                row["includeDescendants"] = True
        return obj

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        if len(obj.get("denyMessage") or "") > 2000:
            errors["denyMessage"] = "size must be at most 2000"
        for i, row in enumerate(obj.get("filters") or []):
            errors.update(filter_row_errors(row, f"filters[{i}]"))
        for i, channel in enumerate(obj.get("notificationChannelIds") or []):
            kind, _, ident = channel.partition(":")
            if kind == "slack" and exists_in_scope(ctx, "slack", ident):
                continue
            if kind == "webhook" and ident:
                continue  # webhook settings are not documented; any id is taken
            errors[f"notificationChannelIds[{i}]"] = f"Unknown notification channel {channel}"

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        obj["createdBy"] = existing["createdBy"] if existing else f"{ctx.account.owner_id}@emu"
        obj["modifiedBy"] = f"{ctx.account.owner_id}@emu"


def filter_row_errors(row: dict[str, Any], path: str) -> dict[str, str]:
    """IN takes non-empty `values` (≤50, no blanks); other operators take `value` only."""
    errors = {}
    values = row.get("values") or []
    if row["operator"] == "IN":
        if not values or len(values) > 50:
            errors[f"{path}.values"] = "IN needs between 1 and 50 values"
        elif any(not v.strip() or "\n" in v or "\r" in v for v in values):
            errors[f"{path}.values"] = "values must not be blank or contain line breaks"
    else:
        if values:
            errors[f"{path}.values"] = "values is only for the IN operator"
        if row.get("value") is None:
            errors[f"{path}.value"] = "must not be null"
    if row["dimension"] == "DEPARTMENT" and row["operator"] != "IS":
        errors[f"{path}.operator"] = "DEPARTMENT filters take the IS operator only"
    if row["dimension"] != "DEPARTMENT" and row.get("includeDescendants") is not None:
        errors[f"{path}.includeDescendants"] = "only for DEPARTMENT filters"
    return errors


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def clean_emails(emails: list[str] | None) -> list[str]:
    """Trimmed, lower-cased and de-duplicated, in the order first given."""
    out: list[str] = []
    for email in emails or []:
        email = email.strip().lower()
        if email not in out:
            out.append(email)
    return out


COLLECTIONS = (CostControls,)
