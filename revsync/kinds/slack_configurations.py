"""Slack configurations (revenium-api.md §8): `webhookUrl` is write-only and secret."""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.live import LiveObject
from ..core.steps import Step
from .base import Kind, KindContext, Unplannable


class SlackConfigurations(Kind):
    name = "slackConfigurations"
    title = "Slack configuration"
    schema_def = "slackConfiguration"
    api_path = "/v2/api/configurations/slack"
    server_fields = frozenset({"teamName"})
    secret_fields = frozenset({"webhookUrl"})
    write_only = frozenset({"webhookUrl"})
    export_env = {"webhookUrl": "SLACK_WEBHOOK"}

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
