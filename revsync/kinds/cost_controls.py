"""AI cost controls / guardrails (revenium-api-more.md §4), changed by PATCH.

PATCH keeps what it omits, so a field the entry leaves out is not managed; an entry clears
a field with `null` (description, groupBy, hardLimit, warnThreshold, denyMessage) or `[]`
(filters, notification lists). A PATCH carries only the fields that changed.

`slackConfigurations: [names]` become `notificationChannelIds: ["slack:<id>"]`; the raw
`notificationChannelIds` (e.g. `webhook:<id>`) join them into one list, sent whole (PATCH
replaces the list). The reference declares its written form (`Ref.written = "slack:{id}"`),
so ids, and placeholders for Slack configurations this same apply creates, are written so.
"""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.live import Account, LiveObject
from ..core.location import plain
from ..core.problems import Problem
from ..core.refs import Ref
from ..core.steps import Step
from .base import Binder, Kind, KindContext, NameIndex

SLACK = Ref(
    "slackConfigurations",
    "slackConfigurations",
    write="notificationChannelIds",
    read="slackChannelIds[]",  # filled by normalize_live from the `slack:` channels
    many=True,
    written="slack:{id}",
)
CHANNELS = "notificationChannelIds"
CLEARED_BY_NULL = ("description", "groupBy", "hardLimit", "warnThreshold", "denyMessage")
CLEARED_BY_EMPTY = ("filters", "notificationEmails", CHANNELS, "slackConfigurations")
CREATE_PRESENT = ("description", "groupBy", "warnThreshold")  # required keys, may be null
CREATE_DEFAULTS = {"enabled": True, "shadowMode": False}
GONE = (404, 400, 403)  # unknown id 400, deleted 403 (§4): maybe gone, look it up


class CostControls(Kind):
    name = "costControls"
    title = "cost control"
    schema_def = "costControl"
    gone_statuses = GONE
    api_path = "/v2/api/ai/cost-controls"
    refs = (SLACK,)
    server_fields = frozenset({"createdBy", "modifiedBy"})
    unordered = {
        "filters": ("dimension", "operator", "value"),
        "filters[].values": None,
        "notificationEmails": None,
        CHANNELS: None,
    }
    merge_compare = True

    # comparing ----------------------------------------------------------------------------
    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        raw = dict(raw)
        slack, others = split_channels(raw.pop(CHANNELS, None) or [], names)
        raw["slackChannelIds"] = [SLACK.write_value(ident) for ident, _ in slack]
        obj = super().normalize_live(_department_rows(raw), names)
        obj[CHANNELS] = sorted(others)
        obj.setdefault("slackConfigurations", [])  # one list, read whole: both halves known
        return self._emails(obj)

    def normalize_desired(self, fields: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        obj = _department_rows(plain(fields))
        slack, others = split_channels(obj.pop(CHANNELS, None) or [], names)
        if slack:  # a raw `slack:<id>` of a known configuration compares as its name
            obj["slackConfigurations"] = [*(obj.get("slackConfigurations") or [])]
            obj["slackConfigurations"] += [name for _, name in slack]
        out = self._emails(super().normalize_desired(obj, names))
        if others:
            out[CHANNELS] = sorted(others)
        for name in CLEARED_BY_NULL:
            if name in fields and fields[name] is None:
                out[name] = None  # compared: an explicit null clears
        for name in CLEARED_BY_EMPTY:
            if fields.get(name) == []:
                out.setdefault(name, [])  # compared: an explicit [] clears
        if fields.get("slackConfigurations") is not None or fields.get(CHANNELS) is not None:
            for name in ("slackConfigurations", CHANNELS):  # one list, sent whole
                out.setdefault(name, [])
        return out

    def _emails(self, obj: dict[str, Any]) -> dict[str, Any]:
        """The platform trims, lower-cases and de-duplicates notification emails."""
        if isinstance(obj.get("notificationEmails"), list):
            obj["notificationEmails"] = sorted(
                {e.strip().lower() for e in obj["notificationEmails"]}
            )
        return obj

    def check(self, entry: Entry) -> list[Problem]:
        problems = []
        for i, row in enumerate(entry.fields.get("filters") or []):
            if not isinstance(row, dict):
                continue
            for leaf, message in filter_problems(row):
                problems.append(Problem(message, entry.where(("filters", i, leaf)), entry.address))
        return problems

    # writing ------------------------------------------------------------------------------
    def body(self, entry: Entry, binder: Binder, account: Account) -> dict[str, Any]:
        """One channel list: the resolved Slack configurations as `slack:<id>`, then the raw."""
        raw = entry.fields.get(CHANNELS)
        names = entry.fields.get("slackConfigurations")
        obj = super().body(entry, binder, account)
        if names is None and raw is None:
            return obj
        slack = obj.pop(CHANNELS, None) if names is not None else []
        resolved = [v for v in slack or [] if v]  # already `slack:<id>` (Ref.written)
        obj[CHANNELS] = [*resolved, *(plain(raw) or [])]
        return obj

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        body = {**CREATE_DEFAULTS, **{k: None for k in CREATE_PRESENT}, **body}
        return super().create_steps(entry, body, ctx)

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        fields = {CHANNELS if f == "slackConfigurations" else f for f in changed}
        patch = {f: body.get(f) for f in sorted(fields)}
        patch = {f: v for f, v in patch.items() if not _same(v, live.raw.get(f))}
        if not patch:
            return []  # nothing the API would change (e.g. a clear of an empty field)
        return [
            Step(
                "PATCH",
                self.item_path(),
                self.write_params(ctx.account),
                patch,
                description=f"change the {self.title} ({', '.join(patch)})",
            )
        ]

    def live_refs(self, raw: dict[str, Any]) -> list[tuple[str, str, bool]]:
        ids = [SLACK.read_value(str(v)) for v in raw.get(CHANNELS) or []]
        return [(SLACK.target, i, False) for i in ids if i]


def split_channels(
    channels: list[Any], names: NameIndex
) -> tuple[list[tuple[str, str]], list[str]]:
    """(id, name) of each `slack:<id>` naming a known Slack configuration; the rest as is."""
    slack: list[tuple[str, str]] = []
    others: list[str] = []
    for channel in channels:
        ident = SLACK.read_value(str(channel))
        name = names.name_of(SLACK.target, ident) if ident else None
        if ident and name is not None:
            slack.append((ident, name))
        else:
            others.append(str(channel))
    return slack, others


def _same(sent: Any, stored: Any) -> bool:
    """Whether sending `sent` leaves the stored value as it is (lists compare unordered)."""
    if sent in (None, []) and stored in (None, []):
        return True
    if isinstance(sent, list) and isinstance(stored, list):
        return sorted(map(str, sent)) == sorted(map(str, stored))
    return sent == stored


def _department_rows(obj: dict[str, Any]) -> dict[str, Any]:
    """A DEPARTMENT filter includes descendants unless it says otherwise (§4)."""
    for row in obj.get("filters") or []:
        if isinstance(row, dict) and row.get("dimension") == "DEPARTMENT":
            row.setdefault("includeDescendants", True)
            if row["includeDescendants"] is None:
                row["includeDescendants"] = True
    return obj


def filter_problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The platform's filter-row rules (§4), reported offline with file:line."""
    out = []
    operator, values = row.get("operator"), row.get("values")
    if operator == "IN" and not values:
        out.append(("values", "the IN operator needs a non-empty values list"))
    if operator != "IN" and values:
        out.append(("values", "values is only for the IN operator; use value"))
    if operator not in (None, "IN") and row.get("value") is None:
        out.append(("operator", f"the {operator} operator needs a value"))
    if row.get("dimension") == "DEPARTMENT" and operator not in (None, "IS"):
        out.append(("operator", "DEPARTMENT filters take the IS operator only"))
    if row.get("dimension") != "DEPARTMENT" and "includeDescendants" in row:
        out.append(("includeDescendants", "includeDescendants is only for DEPARTMENT filters"))
    return out


KIND = CostControls()
