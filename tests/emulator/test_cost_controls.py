"""The cost-control collection: PATCH keep/clear rules, no PUT, 400/403 for unknown ids."""

from __future__ import annotations

import httpx

from .helpers import TEAM, ok, slack

Q = {"teamId": TEAM}
PATH = "/ai/cost-controls"


def control(api: httpx.Client, **extra) -> dict:
    body = {
        "name": "cap",
        "teamId": TEAM,
        "metricType": "TOTAL_COST",
        "windowType": "DAILY",
        "action": "BLOCK",
        "hardLimit": 100,
        "description": "d",
        "groupBy": None,
        "warnThreshold": 80,
        **extra,
    }
    return ok(api.post(PATH, params=Q, json=body))


def test_create_requires_the_documented_fields(api: httpx.Client) -> None:
    answer = api.post(PATH, params=Q, json={"name": "cap", "teamId": TEAM})
    details = answer.json()["details"]
    assert answer.status_code == 400
    assert {"metricType", "windowType", "action", "hardLimit", "description"} <= set(details)
    assert (
        api.post(
            PATH,
            params=Q,
            json={
                "name": "x",
                "teamId": TEAM,
                "metricType": "TOTAL_COST",
                "windowType": "DAILY",
                "action": "THROTTLE",
                "hardLimit": 1,
                "description": None,
                "groupBy": None,
                "warnThreshold": None,
            },
        ).status_code
        == 400
    )


def test_patch_keeps_omitted_clears_null_and_empty(api: httpx.Client) -> None:
    finops = slack(api)
    made = control(
        api,
        notificationChannelIds=[f"slack:{finops['id']}", "webhook:w"],
        notificationEmails=[" Ops@Acme.example", "ops@acme.example"],
        filters=[{"dimension": "MODEL", "operator": "IS", "value": "gpt-4o"}],
    )
    assert made["notificationEmails"] == ["ops@acme.example"]
    url = f"{PATH}/{made['id']}"
    kept = ok(api.patch(url, params=Q, json={"hardLimit": 200}))
    assert kept["description"] == "d" and kept["filters"] == made["filters"]
    assert kept["notificationChannelIds"] == made["notificationChannelIds"]
    cleared = ok(
        api.patch(
            url, params=Q, json={"description": None, "filters": [], "notificationEmails": None}
        )
    )
    assert cleared["description"] is None and cleared["filters"] == []
    assert cleared["notificationEmails"] == ["ops@acme.example"]  # null keeps the emails
    assert ok(api.patch(url, params=Q, json={"notificationEmails": []}))["notificationEmails"] == []
    replaced = ok(api.patch(url, params=Q, json={"notificationChannelIds": ["webhook:v"]}))
    assert replaced["notificationChannelIds"] == ["webhook:v"]


def test_put_is_refused_and_channels_are_checked(api: httpx.Client) -> None:
    made = control(api)
    assert api.put(f"{PATH}/{made['id']}", params=Q, json={"name": "cap"}).status_code == 405
    bad = api.patch(
        f"{PATH}/{made['id']}", params=Q, json={"notificationChannelIds": ["slack:AAAAAAA"]}
    )
    assert bad.status_code == 400


def test_filter_rows_follow_the_platform_rules(api: httpx.Client) -> None:
    rows = [{"dimension": "MODEL", "operator": "IN", "values": []}]
    assert api.post(PATH, params=Q, json={"filters": rows}).status_code == 400
    made = control(api, filters=[{"dimension": "DEPARTMENT", "operator": "IS", "value": "12"}])
    assert made["filters"][0]["includeDescendants"] is True
    wrong = [{"dimension": "DEPARTMENT", "operator": "IS_NOT", "value": "12"}]
    assert api.patch(f"{PATH}/{made['id']}", params=Q, json={"filters": wrong}).status_code == 400


def test_unknown_id_400_deleted_403(api: httpx.Client) -> None:
    made = control(api)
    assert api.get(f"{PATH}/AAAAAAA", params=Q).status_code == 400
    ok(api.delete(f"{PATH}/{made['id']}", params=Q))
    assert api.get(f"{PATH}/{made['id']}", params=Q).status_code == 403
    assert api.delete(f"{PATH}/{made['id']}", params=Q).status_code == 403
