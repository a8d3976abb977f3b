"""The tool registry collection: PUT keeps omitted fields, enabled defaults, odd errors."""

from __future__ import annotations

import httpx

from .helpers import TEAM, ok

Q = {"teamId": TEAM}


def tool_body(**extra) -> dict:
    return {
        "name": "GitHub",
        "toolId": "mcp-github",
        "toolType": "MCP_SERVER",
        "teamId": TEAM,
        **extra,
    }


PRICING = {
    "elements": [
        {
            "name": "calls",
            "aggregationType": "COUNT",
            "tiers": [{"upTo": 100, "unitPrice": "0.01"}, {"unitPrice": 0.005}],
        }
    ]
}


def test_create_reads_prices_as_strings_and_by_tool_id(api: httpx.Client) -> None:
    tool = ok(api.post("/tools", params=Q, json=tool_body(pricing=PRICING)))
    tiers = tool["pricing"]["elements"][0]["tiers"]
    assert tiers == [{"upTo": "100", "unitPrice": "0.01"}, {"upTo": None, "unitPrice": "0.005"}]
    assert tool["enabled"] is True and tool["plan"]["id"]
    assert ok(api.get("/tools/by-tool-id/mcp-github", params=Q))["id"] == tool["id"]
    assert api.post("/tools", params=Q, json=tool_body()).status_code == 409


def test_team_id_must_be_in_the_create_body(api: httpx.Client) -> None:
    body = tool_body()
    body.pop("teamId")
    assert api.post("/tools", params=Q, json=body).status_code == 400


def test_put_keeps_omitted_fields_but_enabled_becomes_true(api: httpx.Client) -> None:
    tool = ok(
        api.post(
            "/tools", params=Q, json=tool_body(pricing=PRICING, enabled=False, description="d")
        )
    )
    put = ok(api.put(f"/tools/{tool['id']}", params=Q, json=tool_body()))
    assert put["description"] == "d" and put["pricing"] == tool["pricing"]
    assert put["enabled"] is True
    assert put["plan"] == tool["plan"]  # no pricing sent: the plan stays
    repriced = ok(api.put(f"/tools/{tool['id']}", params=Q, json=tool_body(pricing=PRICING)))
    assert repriced["plan"]["id"] != tool["plan"]["id"]  # pricing sent: the plan is rebuilt
    assert api.put(f"/tools/{tool['id']}", params=Q, json={"name": "x"}).status_code == 400


def test_tiers_ascend_and_only_the_last_is_open(api: httpx.Client) -> None:
    bad = {"elements": [{"name": "c", "tiers": [{"unitPrice": 1}, {"upTo": 5, "unitPrice": 1}]}]}
    answer = api.post("/tools", params=Q, json=tool_body(pricing=bad))
    assert answer.status_code == 400 and "pricing.elements[0].tiers[0].upTo" in answer.text
    negative = {"elements": [{"name": "c", "unitPrice": -1}]}
    assert api.post("/tools", params=Q, json=tool_body(pricing=negative)).status_code == 400


def test_missing_tool_500_deleted_tool_403(api: httpx.Client) -> None:
    tool = ok(api.post("/tools", params=Q, json=tool_body()))
    assert api.get("/tools/AAAAAAA", params=Q).status_code == 500
    ok(api.delete(f"/tools/{tool['id']}", params=Q))
    assert api.get(f"/tools/{tool['id']}", params=Q).status_code == 403
    assert api.delete(f"/tools/{tool['id']}", params=Q).status_code == 403
