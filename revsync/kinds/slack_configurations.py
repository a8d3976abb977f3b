"""Slack configurations (revenium-api.md §8): `webhookUrl` is write-only and secret.

An unknown id answers 403 (revenium-api-more.md §6.3).
"""

from __future__ import annotations

import re
from typing import Any

from ..core.desired import Entry
from ..core.live import LiveObject
from ..core.problems import Problem
from ..core.steps import Step
from .base import Kind, KindContext, Unplannable

WEBHOOK = re.compile(r"^https?://[^\s/?#]+\S*$")


class SlackConfigurations(Kind):
    name = "slackConfigurations"
    title = "Slack configuration"
    schema_def = "slackConfiguration"
    api_path = "/v2/api/configurations/slack"
    server_fields = frozenset({"teamName"})
    secret_fields = frozenset({"webhookUrl"})
    write_only = frozenset({"webhookUrl"})
    export_env = {"webhookUrl": "SLACK_WEBHOOK"}
    gone_statuses = (403, 404)

    def check(self, entry: Entry) -> list[Problem]:
        """Revenium refuses a webhook that is not an http(s) URL; say so before plan."""
        url = entry.fields.get("webhookUrl")
        if not isinstance(url, str) or "${" in url or WEBHOOK.match(url):
            return []
        return [
            Problem(
                "webhookUrl is not an http(s) URL (e.g. https://hooks.slack.com/services/...)",
                entry.where(("webhookUrl",)),
                entry.address,
            )
        ]

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        if not body.get("webhookUrl"):
            raise Unplannable("webhookUrl is required to create a Slack configuration")
        return super().create_steps(entry, body, ctx)

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        if not body.get("webhookUrl"):
            raise Unplannable(
                "webhookUrl must be in the manifest to update this Slack configuration: "
                "the API replaces the whole object and never returns the webhook"
            )
        return super().update_steps(live, body, changed, ctx)


KIND = SlackConfigurations()
