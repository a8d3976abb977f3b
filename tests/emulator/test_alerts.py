"""Alerts (AI anomalies): what a PUT keeps (§6.1) and the corrections of §6.4."""

from __future__ import annotations

import httpx
import pytest

from revsync.emulator import Emulator

from . import helpers as h
from .helpers import TEAM, ok

Q = {"teamId": TEAM}
ALERTS = "/sources/ai/anomaly"


def put(api: httpx.Client, alert: dict, **fields) -> httpx.Response:
    return api.put(f"{ALERTS}/{alert['id']}", params=Q, json=h.anomaly_body(**fields))


def plant(emulator: Emulator, alert: dict, **stored) -> None:
    """Give a stored alert values the API no longer accepts (legacy data)."""
    obj = next(o for o in emulator.objects("anomaly") if o["id"] == alert["id"])
    emulator.store.update("anomaly", {**obj, **stored}, obj["name"])


@pytest.mark.parametrize("sent", ["omitted", None])
def test_put_keeps_data_source_is_percentage_and_min_sample_count(api, sent) -> None:
    """§6.1 row "Alert dataSource, isPercentage, minSampleCount": null/omitted -> kept."""
    alert = h.anomaly(api, dataSource="PROVIDER", isPercentage=True, minSampleCount=3)
    fields = (
        {} if sent == "omitted" else dict.fromkeys(("dataSource", "isPercentage", "minSampleCount"))
    )
    replaced = ok(put(api, alert, description="kept?", **fields))
    assert replaced["description"] == "kept?"
    assert (replaced["dataSource"], replaced["isPercentage"], replaced["minSampleCount"]) == (
        "PROVIDER",
        True,
        3,
    )


def test_put_with_values_replaces_them(api: httpx.Client) -> None:
    """§6.1 row "Alert ...": only null keeps; sent values replace."""
    alert = h.anomaly(api, dataSource="PROVIDER", isPercentage=True)
    replaced = ok(put(api, alert, dataSource="SDK", isPercentage=False))
    assert (replaced["dataSource"], replaced["isPercentage"]) == ("SDK", False)


def test_data_source_null_on_create_is_sdk(api: httpx.Client) -> None:
    """§6.1 row "Alert dataSource on create": null -> stored as SDK."""
    assert h.anomaly(api, dataSource=None)["dataSource"] == "SDK"
    assert h.anomaly(api, "other")["dataSource"] == "SDK"


@pytest.mark.parametrize("spelling", ["sdk", "Provider", "BOTH", ""])
def test_data_source_has_two_spellings(api: httpx.Client, spelling: str) -> None:
    """§6.5 PROVIDER table: "dataSource spellings: SDK, PROVIDER only (others -> invalid JSON)"."""
    response = api.post(ALERTS, json=h.anomaly_body(dataSource=spelling))
    assert response.status_code == 400
    assert "invalid JSON" in response.json()["message"]


def test_empty_persistence_is_null(api: httpx.Client) -> None:
    """§6.4: `""` = null for triggerAfterPersistsDuration (EmptyStringToNullDeserializer)."""
    alert = h.anomaly(api, triggerAfterPersistsDuration="")
    assert alert["triggerAfterPersistsDuration"] is None
    replaced = ok(put(api, alert, triggerAfterPersistsDuration="ONE_HOUR"))
    assert replaced["triggerAfterPersistsDuration"] == "ONE_HOUR"
    assert (
        ok(put(api, alert, triggerAfterPersistsDuration=""))["triggerAfterPersistsDuration"] is None
    )


def test_firing_is_ignored_on_write_and_firing_state_is_read(api: httpx.Client) -> None:
    """§6.4: `firing` is "ignored if you send it"; read `firingState` (list/get only)."""
    created = h.anomaly(api, firing=True)
    assert created["firing"] is False and "firingState" not in created
    fetched = ok(api.get(f"{ALERTS}/{created['id']}", params=Q))
    assert fetched["firingState"] in ("FIRING", "NOT_FIRING", "UNKNOWN")
    listed = h.items(ok(api.get(ALERTS, params=Q)))
    assert listed[0]["firingState"] == fetched["firingState"]
    assert ok(put(api, created, firing=True))["firing"] is False


def test_request_count_metric_is_accepted(api: httpx.Client) -> None:
    """§6.4: `metricType` also has REQUEST_COUNT."""
    assert h.anomaly(api, metricType="REQUEST_COUNT")["metricType"] == "REQUEST_COUNT"


def test_alerts_have_no_tags(api: httpx.Client) -> None:
    """§6.4: alerts have no `tags` field; like any unknown field it is ignored."""
    created = h.anomaly(api, tags=["team:finops"])
    assert "tags" not in created
    assert "tags" not in ok(api.get(f"{ALERTS}/{created['id']}", params=Q))


def test_stored_refused_period_blocks_updates_until_fixed(emulator, api) -> None:
    """§6.4 "Every alert PUT is validated as a whole, stored values included"."""
    alert = h.anomaly(api)
    plant(emulator, alert, periodDuration="TWENTY_FOUR_HOURS")
    stored = ok(api.get(f"{ALERTS}/{alert['id']}", params=Q))
    assert stored["periodDuration"] == "TWENTY_FOUR_HOURS"  # still readable
    toggled = put(api, alert, enabled=False, periodDuration=stored["periodDuration"])
    assert toggled.status_code == 404
    assert ok(put(api, alert, enabled=False, periodDuration="DAILY"))["enabled"] is False


def test_stored_retired_operator_blocks_updates_until_fixed(emulator, api) -> None:
    """§6.4/§6.5: EQUAL_TO stays readable, but a PUT resending it is refused."""
    alert = h.anomaly(api)
    plant(emulator, alert, operatorType="EQUAL_TO")
    stored = ok(api.get(f"{ALERTS}/{alert['id']}", params=Q))
    refused = put(api, alert, enabled=False, operatorType=stored["operatorType"])
    assert refused.status_code == 400
    assert list(refused.json()["details"]) == ["operatorType"]
    ok(put(api, alert, enabled=False, operatorType="GREATER_THAN"))


def test_kept_stored_value_is_validated_with_the_put(emulator, api) -> None:
    """§6.4: a kept field (here a stored PROVIDER dataSource) takes part in the check."""
    alert = h.anomaly(api, dataSource="PROVIDER")
    refused = put(api, alert, metricType="ERROR_COUNT")  # dataSource omitted: PROVIDER kept
    assert refused.status_code == 400
    assert list(refused.json()["details"]) == ["metricType"]
    ok(put(api, alert, metricType="ERROR_COUNT", dataSource="SDK"))
