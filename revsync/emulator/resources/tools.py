"""The tool registry (revenium-api-more.md §2): per-call pricing, PUT keeps omitted fields.

Platform behaviours emulated: a PUT needs `name`, `toolId`, `toolType`, keeps every other
field it leaves out, turns a missing `enabled` into true and rebuilds the tool's plan when
it carries a `pricing`; prices and tier bounds are read back as strings; a missing id
answers 500 and a deleted one 403; `teamId` must be in the create body.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import ApiError, bad_request, conflict, not_found
from ..validation import F
from . import enums as E
from .base import Collection, Ctx, Route, require_object

TOOL_TYPES = ("SDK", "MCP_SERVER", "AI_SERVICE", "REST_API", "LOCAL_FUNCTION", "HUMAN", "CUSTOM")
TOOL_AGGREGATIONS = ("SUM", "COUNT", "AVERAGE", "MAXIMUM", "DISTINCT")
PUT_REQUIRED = ("name", "toolId", "toolType")
TIER = {"upTo": F("integer", minimum=1), "unitPrice": F("decimal", required=True, minimum=0)}
ELEMENT = {
    "name": F("string", required=True),
    "aggregationType": F("string", enum=TOOL_AGGREGATIONS),
    "unitPrice": F("decimal", minimum=0),
    "tiers": F("array", items=F("object", fields=TIER)),
}
PRICING = {
    "currency": F("string", enum=E.CURRENCIES),
    "elements": F("array", items=F("object", fields=ELEMENT)),
}
TOOL = {
    "name": F("string"),
    "toolId": F("string"),
    "toolType": F("string", enum=TOOL_TYPES),
    "teamId": F("string"),
    "description": F("string"),
    "enabled": F("boolean"),
    "toolProvider": F("string"),
    "pricing": F("object", fields=PRICING),
    "version": F("string"),  # accepted and discarded
}
REBUILD = "__pricing_sent"


class Tools(Collection):
    kind = "tool"
    segment = "tools"
    embedded = "toolResourceList"
    resource_type = "tool"
    title = "Tool"
    deleted_id_status = 403
    noun = "tool"
    specs = TOOL

    def routes(self) -> list[Route]:
        by_tool_id = Route(
            "GET", self.segment + "/by-tool-id/{toolId}", lambda c, p, b: self.by_tool_id(c, p)
        )
        return [by_tool_id, *super().routes()]

    def unknown_id_error(self, ident: str) -> ApiError:
        return ApiError(500, f"Couldn't find Tool with ID: {ident}")

    def by_tool_id(self, ctx: Ctx, params: dict[str, str]) -> tuple[int, Any]:
        self.check_team_param(ctx, required=True)
        found = same_tool_id(ctx, self, params["toolId"])
        if not found:
            raise not_found("Tool", params["toolId"])
        return 200, self.render(ctx, found[0])

    def create(self, ctx: Ctx, body: Any) -> tuple[int, Any]:
        body = require_object(body)
        if body.get("teamId") is None:  # §2: the query parameter is not enough
            raise bad_request({"teamId": "must not be null"})
        for name in PUT_REQUIRED:
            if body.get(name) is None:
                raise bad_request({name: "must not be null"})
        body = {"enabled": True, **{k: v for k, v in body.items() if v is not None}}
        return super().create(ctx, body)

    def replace(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        body = require_object(body)
        missing = {n: "must not be null" for n in PUT_REQUIRED if body.get(n) is None}
        if missing:
            raise bad_request(missing)
        return super().replace(ctx, ident, body)

    def accept(self, ctx: Ctx, body: dict, existing: dict | None) -> dict:
        obj = super().accept(ctx, body, existing)
        obj.pop("version", None)
        obj[REBUILD] = obj.get("pricing") is not None
        if existing is not None:  # BACK-4696: omitted fields keep their stored value ...
            for name, value in existing.items():
                if obj.get(name) is None and name in TOOL:
                    obj[name] = value
            if body.get("enabled") is None:  # ... except `enabled`, which becomes true
                obj["enabled"] = True
        return obj

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        others = same_tool_id(ctx, self, obj.get("toolId") or "")
        if any(o["id"] != (existing or {}).get("id") for o in others):
            raise conflict(f"A tool with toolId {obj['toolId']} already exists")
        for i, element in enumerate((obj.get("pricing") or {}).get("elements") or []):
            check_tiers(element.get("tiers") or [], f"pricing.elements[{i}].tiers", errors)

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        if obj.pop(REBUILD, False):  # a PUT with pricing rebuilds the plan (new id)
            obj["plan"] = {"id": ctx.ids.new(), "name": f"{obj['name']} plan"}
        elif existing is not None:
            obj["plan"] = existing.get("plan")
        obj["configSource"] = "DATABASE"

    def name_of(self, obj: dict[str, Any]) -> str | None:
        return obj.get("toolId")  # by-tool-id looks tools up by this

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        out["label"] = obj.get("name")
        out["pricing"] = prices_as_strings(obj.get("pricing"))
        return out


def same_tool_id(ctx: Ctx, tools: Tools, tool_id: str) -> list[dict[str, Any]]:
    """Tools with exactly this toolId (the name index ignores case; toolIds do not)."""
    found = ctx.store.by_name(tools.kind, tools.read_scopes(ctx), tool_id)
    return [o for o in found if o.get("toolId") == tool_id]


def check_tiers(tiers: list[dict], path: str, errors: dict[str, str]) -> None:
    """Tiers ascend, and only the last one is open (`upTo: null`)."""
    previous = 0
    for i, tier in enumerate(tiers):
        up_to = tier.get("upTo")
        last = i == len(tiers) - 1
        if last and up_to is not None:
            errors[f"{path}[{i}].upTo"] = "the last tier must be open (upTo null)"
        elif not last and up_to is None:
            errors[f"{path}[{i}].upTo"] = "only the last tier may be open"
        elif up_to is not None and up_to <= previous:
            errors[f"{path}[{i}].upTo"] = "tiers must ascend"
        previous = up_to or previous


def prices_as_strings(pricing: dict[str, Any] | None) -> dict[str, Any] | None:
    """Reads return `unitPrice` and `upTo` as strings (BigDecimal / Long in the server)."""
    if pricing is None:
        return None
    out = dict(pricing)
    elements = []
    for element in pricing.get("elements") or []:
        element = {**element, "unitPrice": _text(element.get("unitPrice"))}
        element["tiers"] = [
            {"upTo": _text(t.get("upTo")), "unitPrice": _text(t.get("unitPrice"))}
            for t in element.get("tiers") or []
        ]
        elements.append(element)
    out["elements"] = elements
    return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")


COLLECTIONS = (Tools,)
