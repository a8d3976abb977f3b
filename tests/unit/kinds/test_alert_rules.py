"""The §6.5 alert rule tables as revsync checks them (offline and against the live alert)."""

from __future__ import annotations

from revsync.kinds import alert_rules

BUDGET = {
    "alertType": "CUMULATIVE_USAGE",
    "metricType": "TOTAL_COST",
    "operatorType": "GREATER_THAN",
    "periodDuration": "QUARTERLY",
    "dataSource": "PROVIDER",
}


def messages(alert: dict, stored: dict | None = None) -> list[str]:
    return [message for _, message in alert_rules.violations(alert, stored)]


def test_a_quarterly_provider_budget_is_accepted_on_create() -> None:
    assert messages(BUDGET) == []


def test_an_unchanged_stored_budget_period_meets_the_threshold_list() -> None:
    problems = messages(BUDGET, stored=dict(BUDGET))
    assert problems == [
        "periodDuration QUARTERLY is not accepted for a budget (CUMULATIVE_USAGE) with "
        "dataSource PROVIDER; use one of DAILY, WEEKLY, MONTHLY"
    ]


def test_a_changed_budget_period_meets_the_budget_list() -> None:
    assert messages(BUDGET, stored={**BUDGET, "periodDuration": "MONTHLY"}) == []


def test_a_missing_data_source_counts_as_sdk() -> None:
    alert = {**BUDGET, "dataSource": None, "metricType": "ERROR_COUNT"}
    assert messages(alert) == []
    assert messages({**alert, "dataSource": "PROVIDER"}) == [
        "metricType ERROR_COUNT is not supported with dataSource PROVIDER; use one of "
        "TOTAL_COST, TOKEN_COUNT, INPUT_TOKEN_COUNT, OUTPUT_TOKEN_COUNT"
    ]


def test_a_stored_retired_operator_is_refused() -> None:
    alert = {**BUDGET, "operatorType": "EQUAL_TO", "periodDuration": "MONTHLY"}
    assert messages(alert) == ["operatorType EQUAL_TO is refused on every write"]


def test_a_quality_rate_alert_with_one_task_type_filter_is_accepted() -> None:
    alert = {
        "alertType": "THRESHOLD",
        "metricType": "QUALITY_RATE",
        "operatorType": "LESS_THAN",
        "periodDuration": "DAILY",
        "filters": [{"dimension": "TASK_TYPE", "operator": "IS", "value": "summarize"}],
        "minSampleCount": 5,
    }
    assert messages(alert) == []
