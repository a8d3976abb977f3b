"""Tools of the tool registry (revenium-api-more.md §2), keyed by `toolId`.

A PUT keeps every field it leaves out, so a field the manifest leaves out is not managed
(only the fields an entry sets are compared). Two exceptions: a PUT without `enabled`
turns the tool on, so `enabled` is always sent (true when the entry leaves it out); and a
PUT carrying `pricing` rebuilds the tool's plan, so `pricing` is sent only when it changed.
Prices come back as strings and are compared as numbers.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.desired import Entry
from ..core.live import LiveObject
from ..core.problems import Problem
from ..core.steps import Step
from .base import Kind, KindContext, NameIndex
from .merge_rules import empty_values

# a missing tool answers 500, a deleted one 403 (§2, §6.3): maybe gone, look it up
GONE = (404, 403, 500)


class Tools(Kind):
    name = "tools"
    title = "tool"
    schema_def = "tool"
    gone_statuses = GONE
    api_path = "/v2/api/tools"
    key_fields = ("toolId",)
    server_fields = frozenset({"plan", "configSource", "version"})
    defaults = {"enabled": True, "pricing.currency": "USD"}
    unordered = {"pricing.elements": ("name",)}
    merge_compare = True

    names_only_in_refs = True  # normalize_live only reshapes the answer before Kind's

    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        return super().normalize_live({**raw, "pricing": numeric_prices(raw.get("pricing"))}, names)

    def check(self, entry: Entry) -> list[Problem]:
        problems = []
        elements = (entry.fields.get("pricing") or {}).get("elements") or []
        for i, element in enumerate(elements):
            tiers = element.get("tiers") or [] if isinstance(element, dict) else []
            for j, message in tier_problems(tiers):
                path = ("pricing", "elements", i, "tiers", j)
                problems.append(Problem(message, entry.where(path), entry.address))
        return problems + empty_values(entry, self.title)

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        if "pricing" not in changed:
            body.pop("pricing", None)  # resending it would rebuild the tool's plan
        return super().update_steps(live, body, changed, ctx)


def numeric_prices(pricing: Any) -> Any:
    """`unitPrice` and `upTo` are read back as strings: compare them as numbers."""
    if not isinstance(pricing, dict):
        return pricing
    elements = []
    for element in pricing.get("elements") or []:
        if isinstance(element, dict):
            element = {**element, "unitPrice": _number(element.get("unitPrice"))}
            element["tiers"] = [
                {**t, "upTo": _number(t.get("upTo")), "unitPrice": _number(t.get("unitPrice"))}
                for t in element.get("tiers") or []
                if isinstance(t, dict)
            ]
        elements.append(element)
    return {**pricing, "elements": elements}


def _number(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return int(number) if number == number.to_integral_value() else float(number)


def tier_problems(tiers: list[Any]) -> list[tuple[int, str]]:
    """Tiers ascend and only the last is open (`upTo` left out), as the platform checks."""
    out: list[tuple[int, str]] = []
    previous = 0
    for j, tier in enumerate(tiers):
        up_to = tier.get("upTo") if isinstance(tier, dict) else None
        last = j == len(tiers) - 1
        if last and up_to is not None:
            out.append((j, "the last tier must be open: leave out its upTo"))
        elif not last and up_to is None:
            out.append((j, "only the last tier may be open: give this tier an upTo"))
        elif isinstance(up_to, int) and up_to <= previous:
            out.append((j, f"tiers must ascend: upTo {up_to} is not above {previous}"))
        previous = up_to if isinstance(up_to, int) else previous
    return out


KIND = Tools()
