"""Field ownership, decimals and delete steps, as each kind declares them (§6)."""

from __future__ import annotations

import pytest

from revsync import kinds
from revsync.core.desired import Entry
from revsync.core.live import Account, LiveObject
from revsync.core.location import Location, LocDict
from revsync.kinds.base import KindContext

ACCOUNT = Account("team1", "tenant1", "owner1")
HERE = Location("m.yaml", 1, 1)


class NoNames:
    def name_of(self, kind: str, ident: str) -> str | None:
        return None


class Binder:
    def resolve(self, kind: str, name: str, entry: Entry, path: tuple) -> str:
        return f"id-of-{name}"


def entry(kind: str, key: tuple[str, ...], **fields) -> Entry:
    return Entry(kind, key, LocDict(fields, loc=HERE), HERE)


ALERT = dict(
    name="spend",
    alertType="THRESHOLD",
    metricType="TOTAL_COST",
    operatorType="GREATER_THAN",
    threshold=10,
    periodDuration="DAILY",
)


def test_alert_body_leaves_out_the_kept_fields_the_manifest_omits() -> None:
    body = kinds.get("alerts").body(entry("alerts", ("spend",), **ALERT), Binder(), ACCOUNT)
    assert "isPercentage" not in body and "dataSource" not in body
    assert body["enabled"] is True  # not kept by the API: the default is still sent


def test_alert_body_sends_a_kept_field_the_manifest_gives() -> None:
    fields = {**ALERT, "isPercentage": False}
    body = kinds.get("alerts").body(entry("alerts", ("spend",), **fields), Binder(), ACCOUNT)
    assert body["isPercentage"] is False


def test_organization_metadata_is_left_to_revenium_when_omitted_or_empty() -> None:
    kind = kinds.get("organizations")
    assert kind.left_to_revenium({"name": "Acme"}) == {"metadata"}
    assert kind.left_to_revenium({"name": "Acme", "metadata": ""}) == {"metadata"}
    assert kind.left_to_revenium({"name": "Acme", "metadata": "a=b"}) == set()


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("tier = gold, region=eu", "region=eu,tier=gold"),
        ("region=eu,tier=gold,", "region=eu,tier=gold"),
        ("url=https://x.example/?a=b", "url=https://x.example/?a=b"),
        ("", ""),
    ],
)
def test_organization_metadata_compares_trimmed_pieces_in_any_order(text: str, form: str) -> None:
    kind = kinds.get("organizations")
    live = kind.normalize_live({"id": "o1", "name": "Acme", "metadata": text}, NoNames())
    assert live.get("metadata", "") == form


def test_as_stored_keeps_what_the_body_leaves_out() -> None:
    live = LiveObject("alerts", "a1", ("spend",), {**ALERT, "dataSource": "PROVIDER"})
    merged = kinds.get("alerts").as_stored(dict(ALERT), live)
    assert merged["dataSource"] == "PROVIDER"


@pytest.mark.parametrize(
    ("kind_name", "raw_a", "raw_b"),
    [
        ("products", {"plan": {"charge": "49.00"}}, {"plan": {"charge": 49}}),
        ("alerts", {"threshold": "0.50"}, {"threshold": 0.5}),
        ("subscriptions", {"charge": "0.0000006"}, {"charge": 6e-07}),
        ("aiModels", {"inputCostPerToken": "0.0000025"}, {"inputCostPerToken": 2.5e-06}),
    ],
)
def test_amounts_compare_as_decimals(kind_name: str, raw_a: dict, raw_b: dict) -> None:
    kind = kinds.get(kind_name)
    assert kind.canonical(dict(raw_a)) == kind.canonical(dict(raw_b))


def test_strings_that_are_not_amounts_stay_strings() -> None:
    kind = kinds.get("products")
    obj = kind.canonical({"name": "007", "description": "49.00", "plan": {"charge": "49.00"}})
    assert obj["name"] == "007" and obj["description"] == "49.00"
    assert obj["plan"]["charge"] == 49


def test_product_update_sends_plan_only_when_it_changed() -> None:
    kind = kinds.get("products")
    live = LiveObject("products", "p1", ("Pro",), {"id": "p1", "version": "1.0.1"})
    ctx = KindContext(ACCOUNT)
    body = {"name": "Pro", "description": "new", "plan": {"charge": 49}}
    (step,) = kind.update_steps(live, dict(body), {"description"}, ctx)
    assert "plan" not in step.body
    (step,) = kind.update_steps(live, dict(body), {"plan"}, ctx)
    assert step.body["plan"] == {"charge": 49}


@pytest.mark.parametrize(
    ("kind_name", "statuses"),
    [
        ("subscriptions", [403, 404]),
        ("alerts", [403, 404]),
        ("slackConfigurations", [403, 404]),
        ("products", [404]),
        ("organizations", [404]),
        ("subscribers", [404]),
        ("meteringElements", [404]),
        ("aiModels", [404]),
    ],
)
def test_delete_steps_say_which_statuses_may_mean_gone(kind_name: str, statuses: list) -> None:
    kind = kinds.get(kind_name)
    live = LiveObject(kind_name, "x9", ("k",), {"id": "x9"})
    (step,) = kind.delete_steps(live, KindContext(ACCOUNT))
    assert step.gone_statuses == statuses
    assert step.lookup is not None and step.lookup.path == kind.api_path
    assert step.lookup.match == {"id": "x9"}
    assert step.lookup.matches({"id": "x9", "name": "k"})
