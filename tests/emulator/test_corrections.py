"""§6.4 of revenium-api-more.md: amounts as strings, subscription create makes a user."""

from __future__ import annotations

import httpx
import pytest

from revsync.emulator import Emulator

from . import helpers as h
from .helpers import TEAM, ok

Q = {"teamId": TEAM}


@pytest.mark.parametrize("amount", ["0.00", "12.5", "1E+2", 7])
def test_numeric_strings_are_accepted_for_amounts(api: httpx.Client, amount) -> None:
    """§6.4 "Numeric amounts as strings": BigDecimal binding accepts "0.00" and friends."""
    tiers = [{"name": "t", "upTo": 10, "unitAmount": amount, "flatAmount": amount}]
    product = h.product(api, plan=h.plan(charge=amount, tiers=tiers))
    tier = product["plan"]["tiers"][0]
    assert tier["unitAmount"] == float(amount) == product["plan"]["charge"]
    alert = h.anomaly(api, threshold=amount)
    assert alert["threshold"] == float(amount)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1_000", "", "ten", True])
def test_non_numeric_amounts_are_refused(api: httpx.Client, amount) -> None:
    """§6.4 "Numeric amounts as strings": NaN/Infinity/1_000 refused."""
    response = api.post("/sources/ai/anomaly", json=h.anomaly_body(threshold=amount))
    assert response.status_code == 400
    assert response.json()["details"] == {"threshold": "must be a decimal number"}


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_json_number_tokens_are_refused(api: httpx.Client, token: str) -> None:
    """§6.4: bare NaN/Infinity are not JSON numbers; Jackson answers a parse error."""
    raw = f'{{"name": "x", "teamId": "{TEAM}", "plan": {{"name": "p", "type": "SUBSCRIPTION",'
    raw += f' "currency": "USD", "charge": {token}}}}}'
    response = api.post(
        "/products", params=Q, content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["message"]


def test_subscription_create_for_unknown_email_creates_the_subscriber(
    emulator: Emulator, api: httpx.Client
) -> None:
    """§6.4: "the platform created a user for {email} with this subscription"."""
    product = h.product(api)
    sub = h.subscription(api, product["id"], "new@acme.example")
    users = emulator.objects("subscriber")
    assert [u["email"] for u in users] == ["new@acme.example"]
    assert sub["client"]["id"] == users[0]["id"]
    found = ok(api.get("/subscribers/lookup-by-email", params={"email": "new@acme.example"}))
    assert found["id"] == users[0]["id"]


def test_subscription_create_reuses_an_existing_subscriber(emulator: Emulator, api) -> None:
    """§6.4: "... unless one already existed" (matched without case)."""
    product = h.product(api)
    existing = h.subscriber(api, "ops@acme.example")
    sub = h.subscription(api, product["id"], "OPS@acme.example")
    assert [u["id"] for u in emulator.objects("subscriber")] == [existing["id"]]
    assert sub["client"]["id"] == existing["id"]


def test_subscription_put_to_unknown_email_is_still_refused(api: httpx.Client) -> None:
    """§6.4 speaks of create only; a PUT naming an unknown subscriber stays a 400."""
    product = h.product(api)
    sub = h.subscription(api, product["id"], "ops@acme.example")
    body = {"name": "s", "productId": product["id"], "subscriberEmail": "nobody@x.example"}
    response = api.put(f"/subscriptions/{sub['id']}", params=Q, json={**body, "teamId": TEAM})
    assert response.status_code == 400
    assert response.json()["details"] == {
        "subscriberEmail": "Subscriber with email nobody@x.example not found"
    }


def test_auto_created_subscriber_blocks_its_delete_while_subscribed(api: httpx.Client) -> None:
    """The subscription refers to the created user, so deleting the user is refused (409)."""
    product = h.product(api)
    h.subscription(api, product["id"], "new@acme.example")
    user = ok(api.get("/subscribers/lookup-by-email", params={"email": "new@acme.example"}))
    assert api.delete(f"/subscribers/{user['id']}").status_code == 409
