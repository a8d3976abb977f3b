"""The platform's alert (AI anomaly) rule tables, exactly as revenium-api-more.md §6.5 has them.

`check_alert` validates a whole alert as it would be stored (a PUT's kept fields
included), so a stored value that is now refused blocks every update until it is fixed
in the same PUT (§6.4). Kept apart from the collection so the tables read as tables.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from . import enums as E

BUDGET = "CUMULATIVE_USAGE"
REFUSED_PERIODS = ("ONE_MINUTE", "FIVE_MINUTES", "TWENTY_FOUR_HOURS", "SEVEN_DAYS")
BUDGET_PERIODS = ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY")
SDK_PERIODS = (
    "FIFTEEN_MINUTES",
    "THIRTY_MINUTES",
    "ONE_HOUR",
    "TWELVE_HOURS",
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "THIRTY_DAYS",
    "QUARTERLY",
)
PROVIDER_THRESHOLD_PERIODS = ("DAILY", "WEEKLY", "MONTHLY")
PERIODS = {  # (alertType, dataSource) -> accepted periodDuration
    (BUDGET, "SDK"): BUDGET_PERIODS,
    (BUDGET, "PROVIDER"): BUDGET_PERIODS,
    ("THRESHOLD", "SDK"): SDK_PERIODS,
    ("RELATIVE_CHANGE", "SDK"): SDK_PERIODS,
    ("THRESHOLD", "PROVIDER"): PROVIDER_THRESHOLD_PERIODS,
}
RETIRED_OPERATORS = ("EQUAL_TO", "NOT_EQUAL_TO")  # readable, refused on every write
PROVIDER_ALERT_TYPES = ("THRESHOLD", BUDGET)
PROVIDER_METRICS = ("TOTAL_COST", "TOKEN_COUNT", "INPUT_TOKEN_COUNT", "OUTPUT_TOKEN_COUNT")
PROVIDER_DIMENSIONS = ("WORKSPACE", "API_KEY", "MODEL", "PROVIDER")
MAX_IN_VALUES = 50


def check_alert(
    obj: dict[str, Any], existing: dict[str, Any] | None, quality_job_types: set[str]
) -> dict[str, str]:
    """Raise the platform's non-400 answers; return the 400 `details` for everything else."""
    errors: dict[str, str] = {}
    _operator(obj, errors)
    _period(obj, existing, errors)
    _persistence(obj, errors)
    _provider(obj, errors)
    _filters(obj, errors)
    _group_by(obj)
    if obj["metricType"] == "QUALITY_RATE":
        _quality_rate(obj, errors, quality_job_types)
    return errors


def _operator(obj: dict[str, Any], errors: dict[str, str]) -> None:
    operator, alert_type = obj["operatorType"], obj["alertType"]
    if operator in RETIRED_OPERATORS:
        errors["operatorType"] = f"operatorType {operator} is no longer supported"
        return
    allowed = E.OPERATORS_BY_ALERT_TYPE[alert_type]
    if operator not in allowed:
        errors["operatorType"] = (
            f"operatorType {operator} is not valid for alertType {alert_type}; "
            f"use one of [{', '.join(allowed)}]"
        )


def _period(obj: dict[str, Any], existing: dict[str, Any] | None, errors: dict[str, str]) -> None:
    period, alert_type, source = obj.get("periodDuration"), obj["alertType"], obj["dataSource"]
    if period is None:
        return
    if period in REFUSED_PERIODS:
        raise ApiError(
            404,
            f"Could not find a tracking period for {period}",
            {"periodDuration": f"{period} is no longer supported"},
        )
    allowed = PERIODS.get((alert_type, source))
    if allowed is None:
        return  # the alert type itself is refused for this data source (see _provider)
    unchanged_budget = (
        alert_type == BUDGET
        and existing is not None
        and existing.get("alertType") == BUDGET
        and existing.get("periodDuration") == period
    )
    if unchanged_budget:  # §6.5: an unchanged stored budget period meets the THRESHOLD list
        allowed = PERIODS[("THRESHOLD", source)]
    if period not in allowed:
        errors["periodDuration"] = (
            f"periodDuration {period} is not supported for alertType {alert_type} with "
            f"dataSource {source}; use one of [{', '.join(allowed)}]"
        )


def _persistence(obj: dict[str, Any], errors: dict[str, str]) -> None:
    if obj.get("triggerAfterPersistsDuration") and obj["alertType"] == "RELATIVE_CHANGE":
        errors["triggerAfterPersistsDuration"] = "is not supported for alertType RELATIVE_CHANGE"


def _provider(obj: dict[str, Any], errors: dict[str, str]) -> None:
    if obj["dataSource"] != "PROVIDER":
        return
    if obj["alertType"] not in PROVIDER_ALERT_TYPES:
        errors["alertType"] = (
            f"alertType {obj['alertType']} is not supported for dataSource PROVIDER"
        )
    if obj["metricType"] not in PROVIDER_METRICS:
        errors["metricType"] = (
            f"metricType {obj['metricType']} is not supported for dataSource PROVIDER; "
            f"use one of [{', '.join(PROVIDER_METRICS)}]"
        )
    group_by = obj.get("groupBy")
    if group_by is not None and group_by not in PROVIDER_DIMENSIONS:
        errors["groupBy"] = f"groupBy {group_by} is not supported for dataSource PROVIDER"
    for i, row in enumerate(obj.get("filters") or []):
        if row["dimension"] not in PROVIDER_DIMENSIONS:
            errors[f"filters[{i}].dimension"] = (
                f"dimension {row['dimension']} is not supported for dataSource PROVIDER"
            )


def _filters(obj: dict[str, Any], errors: dict[str, str]) -> None:
    for i, row in enumerate(obj.get("filters") or []):
        where = f"filters[{i}]"
        if row["dimension"] == "DEPARTMENT":
            errors[f"{where}.dimension"] = "DEPARTMENT is not supported as an alert filter"
        values = row.get("values") or []
        if row["operator"] == "IN":
            if not values:
                errors[f"{where}.values"] = "must not be empty for operator IN"
            elif len(values) > MAX_IN_VALUES:
                errors[f"{where}.values"] = f"size must be at most {MAX_IN_VALUES}"
            elif any(not v.strip() or "\n" in v or "\r" in v for v in values):
                errors[f"{where}.values"] = "must not contain blank values or line breaks"
            continue
        if not (row.get("value") or "").strip():
            errors[f"{where}.value"] = "must not be null"
        if values:
            errors[f"{where}.values"] = f"only applies to operator IN, not {row['operator']}"


def _group_by(obj: dict[str, Any]) -> None:
    """Accepted by the SDK table, yet "the anomaly API throws" on it (§6.5)."""
    if obj.get("groupBy") == "DEPARTMENT" and obj["dataSource"] == "SDK":
        raise ApiError(500, "Internal Server Error")


def _quality_rate(obj: dict[str, Any], errors: dict[str, str], job_types: set[str]) -> None:
    if obj["alertType"] != "THRESHOLD":
        errors["alertType"] = "metricType QUALITY_RATE supports alertType THRESHOLD only"
    if obj.get("groupBy") is not None:
        errors["groupBy"] = "must be null for metricType QUALITY_RATE"
    count = obj.get("minSampleCount")
    if count is not None and count < 1:
        errors["minSampleCount"] = "must be at least 1 for metricType QUALITY_RATE"
    rows = obj.get("filters") or []
    task = rows[0] if len(rows) == 1 else {}
    if task.get("dimension") != "TASK_TYPE" or task.get("operator") != "IS":
        errors["filters"] = "metricType QUALITY_RATE needs exactly one filter TASK_TYPE IS <job>"
        return
    if not errors and task.get("value") not in job_types:
        raise ApiError(400, f"QUALITY_RATE job type '{task.get('value')}' is not registered")
