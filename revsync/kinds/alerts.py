"""AI anomaly rules, budget alerts included (§7.1). Slack configurations by name."""

from __future__ import annotations

from ..core.desired import Entry
from ..core.problems import Problem
from ..core.refs import Ref
from .base import Kind

ABSOLUTE = ("GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL_TO", "LESS_THAN_OR_EQUAL_TO")
RELATIVE = ("PERCENT_INCREASE", "PERCENT_DECREASE", "INCREASES_BY", "DECREASES_BY")
OPERATORS = {"THRESHOLD": ABSOLUTE, "CUMULATIVE_USAGE": ABSOLUTE, "RELATIVE_CHANGE": RELATIVE}


class Alerts(Kind):
    name = "alerts"
    title = "alert"
    schema_def = "alert"
    api_path = "/v2/api/sources/ai/anomaly"
    refs = (
        Ref(
            "slackConfigurations",
            "slackConfigurations",
            write="slackConfigurations",
            read="slackConfigurations[]",
            raw="slackConfigurationIds",
            many=True,
        ),
    )
    server_fields = frozenset({"firing", "createdBy", "modifiedBy"})
    defaults = {"isPercentage": False, "enabled": True}
    unordered = {
        "notificationAddresses": None,
        "webhookConfigurations": None,
        "filters[].values": None,
        "filters": ("dimension", "operator", "value"),
    }

    def check(self, entry: Entry) -> list[Problem]:
        fields = entry.fields
        alert_type, operator = fields.get("alertType"), fields.get("operatorType")
        allowed = OPERATORS.get(alert_type) if isinstance(alert_type, str) else None
        if allowed is None or not isinstance(operator, str) or operator in allowed:
            return []
        return [
            Problem(
                f"operatorType {operator} does not go with alertType {alert_type}; "
                f"use one of {', '.join(allowed)}",
                entry.where(("operatorType",)),
                entry.address,
            )
        ]


KIND = Alerts()
