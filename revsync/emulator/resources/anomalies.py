"""AI anomaly rules (§7.1): operator family per alertType, Slack ids must exist."""

from __future__ import annotations

from ..validation import F
from . import enums as E
from .base import Collection, Ctx, exists_in_scope

FILTER = {
    "dimension": F("string", required=True, enum=E.DIMENSIONS),
    "operator": F("string", required=True, enum=E.FILTER_OPERATORS),
    "value": F("string"),
    "values": F("array", items=F("string"), max_items=50),
}

ANOMALY = {
    "name": F("string", required=True),
    "teamId": F("string"),
    "alertType": F("string", required=True, enum=E.ALERT_TYPES),
    "metricType": F("string", required=True, enum=E.METRIC_TYPES),
    "operatorType": F("string", required=True, enum=E.ABSOLUTE_OPERATORS + E.RELATIVE_OPERATORS),
    "threshold": F("decimal", required=True),
    "periodDuration": F("string", enum=E.PERIOD_DURATIONS),
    "enabled": F("boolean", required=True),
    "description": F("string"),
    "isPercentage": F("boolean"),
    "triggerAfterPersistsDuration": F("string", enum=E.PERIOD_DURATIONS),
    "groupBy": F("string", enum=E.DIMENSIONS),
    "filters": F("array", items=F("object", fields=FILTER)),
    "dataSource": F("string", enum=E.DATA_SOURCES),
    "minSampleCount": F("integer", minimum=1),
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

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        allowed = E.OPERATORS_BY_ALERT_TYPE[obj["alertType"]]
        if obj["operatorType"] not in allowed:
            errors["operatorType"] = (
                f"operatorType {obj['operatorType']} is not valid for alertType "
                f"{obj['alertType']}; use one of [{', '.join(allowed)}]"
            )
        for i, ident in enumerate(obj.get("slackConfigurations") or []):
            if not exists_in_scope(ctx, "slack", ident):
                errors[f"slackConfigurations[{i}]"] = f"Slack configuration {ident} not found"
        for i, ident in enumerate(obj.get("webhookConfigurations") or []):
            errors[f"webhookConfigurations[{i}]"] = f"Webhook configuration {ident} not found"
        for i, row in enumerate(obj.get("filters") or []):
            if row["operator"] == "IN":
                if not row.get("values"):
                    errors[f"filters[{i}].values"] = "must not be empty for operator IN"
            elif row.get("value") is None:
                errors[f"filters[{i}].value"] = "must not be null"
        if obj.get("minSampleCount") is not None and obj["metricType"] != "QUALITY_RATE":
            errors["minSampleCount"] = "only applies to metricType QUALITY_RATE"

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        obj["firing"] = bool(existing and existing.get("firing"))
        obj["createdBy"] = existing["createdBy"] if existing else f"{ctx.account.owner_id}@emu"
        obj["modifiedBy"] = f"{ctx.account.owner_id}@emu"
        if obj.get("isPercentage") is None:
            obj["isPercentage"] = False


COLLECTIONS = (Anomalies,)
