"""§6.5 of revenium-api-more.md: the alert rule tables, over HTTP."""

from __future__ import annotations

import httpx
import pytest

from revsync.emulator import Emulator

from . import helpers as h
from .helpers import TEAM, ok

Q = {"teamId": TEAM}
ALERTS = "/sources/ai/anomaly"
ALL_PERIODS = [
    "FIFTEEN_MINUTES",
    "THIRTY_MINUTES",
    "ONE_HOUR",
    "TWELVE_HOURS",
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "THIRTY_DAYS",
    "QUARTERLY",
]
TABLE = {  # (alertType, dataSource) -> accepted periodDuration, row by row
    ("CUMULATIVE_USAGE", "SDK"): {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY"},
    ("CUMULATIVE_USAGE", "PROVIDER"): {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY"},
    ("THRESHOLD", "SDK"): set(ALL_PERIODS),
    ("RELATIVE_CHANGE", "SDK"): set(ALL_PERIODS),
    ("THRESHOLD", "PROVIDER"): {"DAILY", "WEEKLY", "MONTHLY"},
}
OPERATOR = {"CUMULATIVE_USAGE": "GREATER_THAN", "THRESHOLD": "GREATER_THAN"}


def body(**fields) -> dict:
    operator = OPERATOR.get(fields.get("alertType", "THRESHOLD"), "PERCENT_INCREASE")
    return h.anomaly_body(**{"operatorType": operator, **fields})


def post(api: httpx.Client, **fields) -> httpx.Response:
    return api.post(ALERTS, json=body(**fields))


def details(response: httpx.Response) -> dict:
    assert response.status_code == 400, response.text
    return response.json()["details"]


@pytest.mark.parametrize(("alert_type", "source"), sorted(TABLE))
@pytest.mark.parametrize("period", ALL_PERIODS)
def test_period_by_alert_type_and_data_source(api, alert_type, source, period) -> None:
    """§6.5 periodDuration table (alertType x dataSource)."""
    response = post(api, alertType=alert_type, dataSource=source, periodDuration=period)
    if period in TABLE[(alert_type, source)]:
        ok(response)
    else:
        assert list(details(response)) == ["periodDuration"]


@pytest.mark.parametrize("source", [None, "SDK"])
def test_null_data_source_follows_the_sdk_row(api: httpx.Client, source) -> None:
    """§6.5: the THRESHOLD / RELATIVE_CHANGE row is "SDK / null"."""
    ok(post(api, alertType="RELATIVE_CHANGE", dataSource=source, periodDuration="ONE_HOUR"))


def test_relative_change_is_refused_for_provider(api: httpx.Client) -> None:
    """§6.5: RELATIVE_CHANGE x PROVIDER -> refused (alert type)."""
    got = details(post(api, alertType="RELATIVE_CHANGE", dataSource="PROVIDER"))
    assert list(got) == ["alertType"]


@pytest.mark.parametrize(
    "period", ["ONE_MINUTE", "FIVE_MINUTES", "TWENTY_FOUR_HOURS", "SEVEN_DAYS"]
)
@pytest.mark.parametrize("alert_type", ["THRESHOLD", "CUMULATIVE_USAGE", "RELATIVE_CHANGE"])
def test_retired_periods_answer_404(api: httpx.Client, period: str, alert_type: str) -> None:
    """§6.5: refused for every type -> 404 "Could not find a tracking period"."""
    response = post(api, alertType=alert_type, periodDuration=period)
    assert response.status_code == 404
    assert response.json()["message"].startswith("Could not find a tracking period")


def test_unchanged_budget_period_is_checked_against_the_threshold_list(api) -> None:
    """§6.5: "an unchanged stored budget period is checked against the THRESHOLD list"."""
    fields = {"alertType": "CUMULATIVE_USAGE", "dataSource": "PROVIDER"}
    budget = ok(post(api, periodDuration="QUARTERLY", **fields))
    again = api.put(
        f"{ALERTS}/{budget['id']}", params=Q, json=body(periodDuration="QUARTERLY", **fields)
    )
    assert list(details(again)) == ["periodDuration"]
    moved = api.put(
        f"{ALERTS}/{budget['id']}", params=Q, json=body(periodDuration="MONTHLY", **fields)
    )
    assert ok(moved)["periodDuration"] == "MONTHLY"


@pytest.mark.parametrize(
    ("alert_type", "operator", "valid"),
    [
        ("THRESHOLD", "GREATER_THAN_OR_EQUAL_TO", True),
        ("THRESHOLD", "LESS_THAN", True),
        ("CUMULATIVE_USAGE", "LESS_THAN_OR_EQUAL_TO", True),
        ("RELATIVE_CHANGE", "INCREASES_BY", True),
        ("RELATIVE_CHANGE", "DECREASES_BY", True),
        ("THRESHOLD", "INCREASES_BY", False),
        ("RELATIVE_CHANGE", "LESS_THAN", False),
        ("THRESHOLD", "EQUAL_TO", False),
        ("CUMULATIVE_USAGE", "NOT_EQUAL_TO", False),
        ("RELATIVE_CHANGE", "EQUAL_TO", False),
    ],
)
def test_operator_families(api: httpx.Client, alert_type: str, operator: str, valid) -> None:
    """§6.5 operatorType: families per alertType; EQUAL_TO/NOT_EQUAL_TO refused on write."""
    response = post(api, alertType=alert_type, operatorType=operator)
    if valid:
        ok(response)
    else:
        assert list(details(response)) == ["operatorType"]


def test_persistence_is_not_supported_on_relative_change(api: httpx.Client) -> None:
    """§6.5 Persistence: any of the 13 names or null, not on RELATIVE_CHANGE."""
    ok(post(api, alertType="THRESHOLD", triggerAfterPersistsDuration="SEVEN_DAYS"))
    ok(post(api, alertType="RELATIVE_CHANGE", triggerAfterPersistsDuration=None))
    got = details(post(api, alertType="RELATIVE_CHANGE", triggerAfterPersistsDuration="ONE_HOUR"))
    assert list(got) == ["triggerAfterPersistsDuration"]


@pytest.mark.parametrize(
    ("metric", "valid"),
    [
        ("TOTAL_COST", True),
        ("TOKEN_COUNT", True),
        ("INPUT_TOKEN_COUNT", True),
        ("OUTPUT_TOKEN_COUNT", True),
        ("ERROR_COUNT", False),
        ("REQUEST_COUNT", False),
        ("CACHED_TOKEN_COUNT", False),
    ],
)
@pytest.mark.parametrize("alert_type", ["THRESHOLD", "CUMULATIVE_USAGE"])
def test_provider_metrics(api: httpx.Client, metric: str, valid: bool, alert_type: str) -> None:
    """§6.5 PROVIDER table: metricType; with PROVIDER only these 4 can be budgets."""
    response = post(api, alertType=alert_type, dataSource="PROVIDER", metricType=metric)
    if valid:
        ok(response)
    else:
        assert list(details(response)) == ["metricType"]


@pytest.mark.parametrize(
    "dimension", ["ORGANIZATION", "CREDENTIAL", "PRODUCT", "AGENT", "SUBSCRIBER", "TASK_TYPE"]
)
def test_provider_filter_and_group_by_dimensions(api: httpx.Client, dimension: str) -> None:
    """§6.5 PROVIDER table: filter dimensions / groupBy are WORKSPACE, API_KEY, MODEL, PROVIDER."""
    row = {"dimension": dimension, "operator": "IS", "value": "x"}
    got = details(post(api, dataSource="PROVIDER", filters=[row], groupBy=dimension))
    assert sorted(got) == ["filters[0].dimension", "groupBy"]
    for allowed in ("WORKSPACE", "API_KEY", "MODEL", "PROVIDER"):
        row = {"dimension": allowed, "operator": "IS", "value": "x"}
        ok(post(api, name=allowed, dataSource="PROVIDER", filters=[row], groupBy=allowed))


@pytest.mark.parametrize("source", ["SDK", "PROVIDER"])
def test_department_is_refused_as_filter_dimension(api: httpx.Client, source: str) -> None:
    """§6.4/§6.5: DEPARTMENT is refused as an alert filter dimension ("anomaly API throws")."""
    row = {"dimension": "DEPARTMENT", "operator": "IS", "value": "42"}
    assert list(details(post(api, dataSource=source, filters=[row]))) == ["filters[0].dimension"]


def test_group_by_department_on_sdk_throws(emulator: Emulator, api: httpx.Client) -> None:
    """§6.5: groupBy DEPARTMENT is listed for SDK, yet "the anomaly API throws" -> avoid."""
    response = post(api, groupBy="DEPARTMENT")
    assert response.status_code == 500
    assert emulator.objects("anomaly") == []


def test_sdk_accepts_every_other_filter_dimension(api: httpx.Client) -> None:
    """§6.5: SDK alerts: filter dimensions = all but DEPARTMENT."""
    dims = ["ORGANIZATION", "CREDENTIAL", "PRODUCT", "MODEL", "PROVIDER", "AGENT"]
    dims += ["SUBSCRIBER", "TASK_TYPE", "WORKSPACE", "API_KEY"]
    rows = [{"dimension": d, "operator": "IS", "value": "x"} for d in dims]
    assert len(ok(post(api, filters=rows))["filters"]) == 10


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"operator": "IN", "values": []}, "values"),
        ({"operator": "IN", "values": [str(i) for i in range(51)]}, "values"),
        ({"operator": "IN", "values": ["a", " "]}, "values"),
        ({"operator": "IN", "values": ["a", "b\nc"]}, "values"),
        ({"operator": "IS", "value": None}, "value"),
        ({"operator": "CONTAINS", "value": "  "}, "value"),
        ({"operator": "STARTS_WITH", "value": "a", "values": ["a"]}, "values"),
    ],
)
def test_filter_rows(api: httpx.Client, row: dict, field: str) -> None:
    """§6.5 Filter rows: IN needs values (<=50, no blanks/line breaks); others value only."""
    got = details(post(api, filters=[{"dimension": "MODEL", **row}]))
    assert list(got) == [f"filters[0].{field}"]


@pytest.mark.parametrize("operator", ["IS", "IS_NOT", "CONTAINS", "STARTS_WITH", "ENDS_WITH"])
def test_filter_rows_accepted(api: httpx.Client, operator: str) -> None:
    """§6.5 Filter rows: each operator with its operand shape is accepted."""
    rows = [
        {"dimension": "MODEL", "operator": operator, "value": "gpt"},
        {"dimension": "PROVIDER", "operator": "IN", "values": ["OPENAI", "ANTHROPIC"]},
    ]
    ok(post(api, filters=rows))


def quality(**fields) -> dict:
    task = [{"dimension": "TASK_TYPE", "operator": "IS", "value": "summarize"}]
    return {"metricType": "QUALITY_RATE", "filters": task, "minSampleCount": 10, **fields}


def test_quality_rate_needs_a_registered_job_type(emulator: Emulator, api) -> None:
    """§6.5: create answers 400 "QUALITY_RATE job type '<name>' is not registered"."""
    response = post(api, **quality())
    assert response.status_code == 400
    assert response.json()["message"] == "QUALITY_RATE job type 'summarize' is not registered"
    emulator.register_quality_job_type("summarize")
    assert ok(post(api, **quality()))["metricType"] == "QUALITY_RATE"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"alertType": "CUMULATIVE_USAGE"}, "alertType"),
        ({"groupBy": "MODEL"}, "groupBy"),
        ({"minSampleCount": 0}, "minSampleCount"),
        ({"filters": []}, "filters"),
        ({"filters": [{"dimension": "MODEL", "operator": "IS", "value": "x"}]}, "filters"),
    ],
)
def test_quality_rate_rules(emulator: Emulator, api, fields: dict, field: str) -> None:
    """§6.5: QUALITY_RATE -> THRESHOLD only, groupBy null, one TASK_TYPE IS filter, samples >=1."""
    emulator.register_quality_job_type("summarize")
    assert field in details(post(api, **quality(**fields)))


def test_job_types_can_be_registered_through_the_admin_endpoint(emulator, api) -> None:
    """The emulator has no jobs API; the admin endpoint stands in for it at run time."""
    admin = httpx.post(emulator.url + "/_emulator/job-types", json={"name": "summarize"})
    assert admin.json() == {"qualityRateJobTypes": ["summarize"]}
    ok(post(api, **quality()))
    assert httpx.post(emulator.url + "/_emulator/job-types", json={}).status_code == 400


def test_blank_group_by_is_refused(api: httpx.Client) -> None:
    """§6.5: Blank `groupBy` ("") -> 400 (enum has no empty member)."""
    assert list(details(post(api, groupBy=""))) == ["groupBy"]
