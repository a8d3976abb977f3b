"""AI anomaly rules, budget alerts included (§7.1). Slack configurations by name.

The platform keeps `dataSource`, `isPercentage` and `minSampleCount` when an update leaves
them out or sends null (revenium-api-more.md §6.1), and re-checks the whole alert, kept
values included, against its rule tables on every write (§6.4, §6.5; `alert_rules`).
"""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.live import LiveObject
from ..core.problems import WARNING, Problem
from ..core.refs import Ref
from ..core.steps import Step
from . import alert_rules
from .base import NO_WAY, Kind, KindContext, Unplannable


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
    server_fields = frozenset({"firing", "firingState", "createdBy", "modifiedBy"})
    defaults = {"isPercentage": False, "enabled": True}
    kept_when_omitted = {"dataSource": NO_WAY, "isPercentage": NO_WAY, "minSampleCount": NO_WAY}
    decimal_fields = ("threshold",)
    gone_statuses = (403, 404)
    unordered = {
        "notificationAddresses": None,
        "webhookConfigurations": None,
        "filters[].values": None,
        "filters": ("dimension", "operator", "value"),
    }

    def check(self, entry: Entry) -> list[Problem]:
        refused = [
            Problem(message, entry.where(path), entry.address)
            for path, message in alert_rules.violations(entry.fields)
        ]
        return refused + [
            Problem(message, entry.where(path), entry.address, severity=WARNING)
            for path, message in alert_rules.cautions(entry.fields)
        ]

    def update_notes(self, live: LiveObject, changed: set[str]) -> list[str]:
        if "periodDuration" in changed and live.raw.get("alertType") == alert_rules.BUDGET:
            return ["a budget's new periodDuration restarts its calendar period (Revenium)"]
        return []

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        merged = self.as_stored(body, live)
        broken = alert_rules.violations(merged, stored=live.raw)
        if broken:
            reasons = "; ".join(message for _, message in broken)
            raise Unplannable(
                f"Revenium re-checks the whole alert on every update, values the manifest "
                f"leaves out included, and would refuse it: {reasons}"
            )
        return super().update_steps(live, body, changed, ctx)


KIND = Alerts()
