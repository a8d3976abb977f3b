"""Slack configurations (§8 decision): full CRUD, `webhookUrl` write-only."""

from __future__ import annotations

import re
from typing import Any

from ..validation import F
from .base import Collection, Ctx

URL = re.compile(r"^https?://\S+$")


class SlackConfigurations(Collection):
    kind = "slack"
    segment = "configurations/slack"
    embedded = "slackConfigurationResourceList"
    resource_type = "slack_configuration"
    title = "Slack configuration"
    noun = "Slack configuration"
    unknown_id_status = 403  # §6.3: unknown and foreign ids alike
    write_only = frozenset({"webhookUrl"})
    specs = {
        "name": F("string", required=True),
        "channelName": F("string", required=True),
        "webhookUrl": F("string", required=True),
        "teamId": F("string"),
    }

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        if not URL.match(obj["webhookUrl"]):
            errors["webhookUrl"] = "must be an http(s) URL"

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        out["teamName"] = ctx.account.team_name
        return out


COLLECTIONS = (SlackConfigurations,)
