"""The platform's alert rule tables (revenium-api-more.md §6.5, §6.4 alert rows).

One function, `violations`, checks an alert as a plain dict and returns (path, message)
pairs. `validate` runs it on the manifest entry alone; `plan` runs it again on the alert
as Revenium will hold it after the update (kept fields included), because the platform
re-checks the whole alert on every write.
"""

from __future__ import annotations

from typing import Any

BUDGET = "CUMULATIVE_USAGE"
RETIRED_PERIODS = {
    "ONE_MINUTE": "FIFTEEN_MINUTES",
    "FIVE_MINUTES": "FIFTEEN_MINUTES",
    "TWENTY_FOUR_HOURS": "DAILY",
    "SEVEN_DAYS": "WEEKLY",
}
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
PERIODS = {  # (alertType, dataSource) -> accepted periodDuration
    (BUDGET, "SDK"): BUDGET_PERIODS,
    (BUDGET, "PROVIDER"): BUDGET_PERIODS,
    ("THRESHOLD", "SDK"): SDK_PERIODS,
    ("RELATIVE_CHANGE", "SDK"): SDK_PERIODS,
    ("THRESHOLD", "PROVIDER"): ("DAILY", "WEEKLY", "MONTHLY"),
}
ABSOLUTE = ("GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL_TO", "LESS_THAN_OR_EQUAL_TO")
RELATIVE = ("PERCENT_INCREASE", "PERCENT_DECREASE", "INCREASES_BY", "DECREASES_BY")
OPERATORS = {"THRESHOLD": ABSOLUTE, BUDGET: ABSOLUTE, "RELATIVE_CHANGE": RELATIVE}
RETIRED_OPERATORS = ("EQUAL_TO", "NOT_EQUAL_TO")
PROVIDER_ALERT_TYPES = ("THRESHOLD", BUDGET)
PROVIDER_METRICS = ("TOTAL_COST", "TOKEN_COUNT", "INPUT_TOKEN_COUNT", "OUTPUT_TOKEN_COUNT")
PROVIDER_DIMENSIONS = ("WORKSPACE", "API_KEY", "MODEL", "PROVIDER")

Violation = tuple[tuple, str]


def violations(alert: dict[str, Any], stored: dict[str, Any] | None = None) -> list[Violation]:
    """Every rule of §6.5 the alert breaks; `stored` is the live alert an update changes."""
    source = data_source(alert)
    out: list[Violation] = []
    out += _operator(alert)
    out += _period(alert, source, stored)
    out += _persistence(alert)
    if source == "PROVIDER":
        out += _provider(alert)
    out += _filters(alert, source)
    if alert.get("metricType") == "QUALITY_RATE":
        out += _quality_rate(alert)
    return out


def data_source(alert: dict[str, Any]) -> str:
    return alert.get("dataSource") or "SDK"  # null is stored as SDK (§6.1)


def cautions(alert: dict[str, Any]) -> list[Violation]:
    """What Revenium accepts yet will not do as written (§6.5): warnings, not refusals."""
    if data_source(alert) != "SDK":
        return []
    return [
        (
            ("filters", i, "dimension"),
            "an API_KEY filter on an SDK alert is stored but never evaluated by Revenium; "
            "filter by API key with dataSource: PROVIDER",
        )
        for i, row in enumerate(alert.get("filters") or [])
        if isinstance(row, dict) and row.get("dimension") == "API_KEY"
    ]


def _operator(alert: dict[str, Any]) -> list[Violation]:
    operator, alert_type = alert.get("operatorType"), alert.get("alertType")
    if operator in RETIRED_OPERATORS:
        return [(("operatorType",), f"operatorType {operator} is refused on every write")]
    allowed = OPERATORS.get(alert_type) if isinstance(alert_type, str) else None
    if allowed is None or not isinstance(operator, str) or operator in allowed:
        return []
    return [
        (
            ("operatorType",),
            f"operatorType {operator} does not go with alertType {alert_type}; "
            f"use one of {', '.join(allowed)}",
        )
    ]


def _period(alert: dict[str, Any], source: str, stored: dict[str, Any] | None) -> list[Violation]:
    period, alert_type = alert.get("periodDuration"), alert.get("alertType")
    if not isinstance(period, str):
        return []
    if period in RETIRED_PERIODS:
        return [
            (
                ("periodDuration",),
                f"periodDuration {period} is no longer supported by Revenium; "
                f"use {RETIRED_PERIODS[period]}",
            )
        ]
    allowed = PERIODS.get((alert_type, source))
    if allowed is None:
        return []  # the alert type itself is refused for this data source
    unchanged_budget = (
        alert_type == BUDGET
        and stored is not None
        and stored.get("alertType") == BUDGET
        and stored.get("periodDuration") == period
    )
    if unchanged_budget:  # §6.5: an unchanged stored budget period meets the THRESHOLD list
        allowed = PERIODS[("THRESHOLD", source)]
    if period in allowed:
        return []
    what = "a budget (CUMULATIVE_USAGE)" if alert_type == BUDGET else f"alertType {alert_type}"
    return [
        (
            ("periodDuration",),
            f"periodDuration {period} is not accepted for {what} with dataSource {source}; "
            f"use one of {', '.join(allowed)}",
        )
    ]


def _persistence(alert: dict[str, Any]) -> list[Violation]:
    if alert.get("triggerAfterPersistsDuration") and alert.get("alertType") == "RELATIVE_CHANGE":
        return [
            (
                ("triggerAfterPersistsDuration",),
                "triggerAfterPersistsDuration is not supported for alertType RELATIVE_CHANGE",
            )
        ]
    return []


def _provider(alert: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    alert_type, metric = alert.get("alertType"), alert.get("metricType")
    if alert_type not in PROVIDER_ALERT_TYPES:
        out.append(
            (
                ("alertType",),
                f"alertType {alert_type} is not supported with dataSource PROVIDER; "
                f"use one of {', '.join(PROVIDER_ALERT_TYPES)}",
            )
        )
    if metric not in PROVIDER_METRICS:
        out.append(
            (
                ("metricType",),
                f"metricType {metric} is not supported with dataSource PROVIDER; "
                f"use one of {', '.join(PROVIDER_METRICS)}",
            )
        )
    group_by = alert.get("groupBy")
    if group_by is not None and group_by not in PROVIDER_DIMENSIONS:
        out.append(
            (
                ("groupBy",),
                f"groupBy {group_by} is not supported with dataSource PROVIDER; "
                f"use one of {', '.join(PROVIDER_DIMENSIONS)}",
            )
        )
    for i, row in enumerate(_rows(alert)):
        if row.get("dimension") not in PROVIDER_DIMENSIONS:
            out.append(
                (
                    ("filters", i, "dimension"),
                    f"filter dimension {row.get('dimension')} is not supported with dataSource "
                    f"PROVIDER; use one of {', '.join(PROVIDER_DIMENSIONS)}",
                )
            )
    return out


def _filters(alert: dict[str, Any], source: str) -> list[Violation]:
    out: list[Violation] = []
    if alert.get("groupBy") == "DEPARTMENT" and source == "SDK":
        out.append((("groupBy",), "groupBy DEPARTMENT makes Revenium's anomaly API fail"))
    for i, row in enumerate(_rows(alert)):
        if row.get("dimension") == "DEPARTMENT":
            out.append(
                (("filters", i, "dimension"), "DEPARTMENT is not supported as an alert filter")
            )
        values = row.get("values") or []
        if row.get("operator") == "IN":
            if not values:
                out.append((("filters", i), "operator IN needs a non-empty values list"))
            elif any(not str(v).strip() or "\n" in str(v) or "\r" in str(v) for v in values):
                out.append(
                    (("filters", i, "values"), "values must not be blank or hold line breaks")
                )
            continue
        if not str(row.get("value") or "").strip():
            out.append((("filters", i), f"operator {row.get('operator')} needs a value"))
        if values:
            out.append(
                (
                    ("filters", i, "values"),
                    f"values only go with operator IN, not {row.get('operator')}; use value",
                )
            )
    return out


def _quality_rate(alert: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    if alert.get("alertType") != "THRESHOLD":
        out.append((("alertType",), "metricType QUALITY_RATE supports alertType THRESHOLD only"))
    if alert.get("groupBy") is not None:
        out.append((("groupBy",), "metricType QUALITY_RATE takes no groupBy"))
    rows = _rows(alert)
    task = rows[0] if len(rows) == 1 else {}
    if task.get("dimension") != "TASK_TYPE" or task.get("operator") != "IS":
        where: tuple = ("filters",) if "filters" in alert else ("metricType",)
        out.append(
            (where, "metricType QUALITY_RATE needs exactly one filter: TASK_TYPE IS <job type>")
        )
    return out


def _rows(alert: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in alert.get("filters") or [] if isinstance(r, dict)]
