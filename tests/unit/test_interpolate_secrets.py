"""Which variables are secrets, and placeholders for offline validation."""

from __future__ import annotations

from revsync.manifest.interpolate import interpolate, secret_variable


def test_secret_looking_names_and_listed_variables_are_secrets() -> None:
    for name in ("SLACK_WEBHOOK_FINOPS", "API_KEY", "DB_PASSWORD", "GH_TOKEN", "AWS_SECRET"):
        assert secret_variable(name)
    assert not secret_variable("MONTHLY_BUDGET")
    assert secret_variable("MONTHLY_BUDGET", ["MONTHLY_BUDGET"])


def test_unset_variable_is_a_placeholder_only_when_asked() -> None:
    strict = interpolate("x-${NOPE}", {})
    assert strict.errors == ["environment variable NOPE is not set"]
    offline = interpolate("x-${NOPE}", {}, placeholders=True)
    assert offline.errors == [] and offline.unset == ["NOPE"]
    assert offline.value == "x-${NOPE}"
    assert interpolate("${NOPE:-7}", {}, placeholders=True).unset == []
