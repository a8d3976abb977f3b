"""AI anomaly rules (§7.1, corrected by revenium-api-more.md §6): alerts and budgets.

A PUT keeps `dataSource`, `isPercentage` and `minSampleCount` when they are sent null or
left out (§6.1), and the whole resulting alert is then checked against the rule tables
in `alert_rules` (§6.5), stored values included (§6.4).
"""

from __future__ import annotations

from typing import Any

from .. import jobtypes
from ..errors import ApiError, bad_request
from ..validation import F, check
from . import enums as E
from .alert_rules import RETIRED_OPERATORS, check_alert
from .base import Collection, Ctx, exists_in_scope

KEPT_ON_NULL = ("dataSource", "isPercentage", "minSampleCount")
DATA_SOURCES = ("SDK", "PROVIDER")

FILTER = {
    "dimension": F("string", required=True, enum=E.DIMENSIONS),
    "operator": F("string", required=True, enum=E.FILTER_OPERATORS),
    "value": F("string"),
    "values": F("array", items=F("string")),
}

ANOMALY = {
    "name": F("string", required=True),
    "teamId": F("string"),
    "alertType": F("string", required=True, enum=E.ALERT_TYPES),
    "metricType": F("string", required=True, enum=(*E.METRIC_TYPES, "REQUEST_COUNT")),
    "operatorType": F(
        "string",
        required=True,
        enum=E.ABSOLUTE_OPERATORS + E.RELATIVE_OPERATORS + RETIRED_OPERATORS,
    ),
    "threshold": F("decimal", required=True),
    "periodDuration": F("string", enum=E.PERIOD_DURATIONS),
    "enabled": F("boolean", required=True),
    "description": F("string"),
    "isPercentage": F("boolean"),
    "triggerAfterPersistsDuration": F("string", enum=E.PERIOD_DURATIONS),
    "groupBy": F("string", enum=E.DIMENSIONS),
    "filters": F("array", items=F("object", fields=FILTER)),
    "dataSource": F("string"),  # spelled SDK or PROVIDER, else a JSON error (see below)
    "minSampleCount": F("integer"),
    "notificationAddresses": F("array", items=F("string", format="email")),
    "slackConfigurations": F("array", items=F("string")),
    "webhookConfigurations": F("array", items=F("string")),
}


class Anomalies(Collection):
    kind = "anomaly"
    segment = "sources/ai/anomaly"
    embedded = "aIAnomalyResourceList"
    resource_type = "ai_anomaly_metadata"
    title = "AI Anomaly"
    specs = ANOMALY
    blocks_delete_of = {"slack": ("slackConfigurations",)}
    noun = "alert rule"
    unknown_id_status = 403  # §6.3: unknown and foreign ids alike

    def accept(self, ctx: Ctx, body: dict, existing: dict | None) -> dict:
        """Check the body, fill what a PUT keeps, then validate the alert as a whole."""
        body = dict(body)
        if body.get("triggerAfterPersistsDuration") == "":
            body["triggerAfterPersistsDuration"] = None  # EmptyStringToNullDeserializer (§6.4)
        source = body.get("dataSource")
        if source is not None and source not in DATA_SOURCES:
            raise ApiError(400, f"JSON parse error: invalid JSON for dataSource: {source!r}")
        errors: dict[str, str] = {}
        obj = check(self.specs, body, errors)
        if errors:
            raise bad_request(errors)
        keep_stored(obj, existing)
        self.validate(ctx, obj, errors, existing)
        errors.update(check_alert(obj, existing, jobtypes.registered(ctx.store)))
        if errors:
            raise bad_request(errors)
        obj.pop("teamId", None)
        return obj

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        for i, ident in enumerate(obj.get("slackConfigurations") or []):
            if not exists_in_scope(ctx, "slack", ident):
                errors[f"slackConfigurations[{i}]"] = f"Slack configuration {ident} not found"
        for i, ident in enumerate(obj.get("webhookConfigurations") or []):
            errors[f"webhookConfigurations[{i}]"] = f"Webhook configuration {ident} not found"

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        obj["firing"] = False  # system-maintained; a sent value is ignored (§6.4)
        obj["createdBy"] = existing["createdBy"] if existing else f"{ctx.account.owner_id}@emu"
        obj["modifiedBy"] = f"{ctx.account.owner_id}@emu"

    def get(self, ctx: Ctx, ident: str) -> tuple[int, Any]:
        status, body = super().get(ctx, ident)
        return status, with_firing_state(body)

    def listed(self, ctx: Ctx, obj: dict[str, Any]) -> dict[str, Any]:
        return with_firing_state(super().listed(ctx, obj))


def keep_stored(obj: dict[str, Any], existing: dict[str, Any] | None) -> None:
    """§6.1: on PUT a null `dataSource`/`isPercentage`/`minSampleCount` keeps the stored one;
    on create a null `dataSource` is SDK and a null `isPercentage` is false."""
    if existing is not None:
        for name in KEPT_ON_NULL:
            if obj.get(name) is None:
                obj[name] = existing.get(name)
    if obj.get("dataSource") is None:
        obj["dataSource"] = "SDK"
    if obj.get("isPercentage") is None:
        obj["isPercentage"] = False


def with_firing_state(item: dict[str, Any]) -> dict[str, Any]:
    """Lists and gets carry `firingState` (§6.4); the emulator never evaluates a rule."""
    item["firingState"] = "NOT_FIRING"
    return item


COLLECTIONS = (Anomalies,)
