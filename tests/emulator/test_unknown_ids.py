"""§6.3 of revenium-api-more.md: unknown ids answer 403 (or 400), not always 404."""

from __future__ import annotations

import httpx
import pytest

from . import helpers as h
from .helpers import TEAM

Q = {"teamId": TEAM}
FORBIDDEN = ["/subscriptions", "/sources/ai/anomaly", "/configurations/slack"]


@pytest.mark.parametrize("path", FORBIDDEN)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_ids_answer_403(api: httpx.Client, path: str, method: str) -> None:
    """§6.3: subscriptions, anomalies and Slack configs answer 403 for never-existed ids."""
    body = {} if method == "PUT" else None
    response = api.request(method, f"{path}/Zzzzzzz", params=Q, json=body)
    assert response.status_code == 403
    assert response.json()["error"] == "Forbidden"


def test_subscription_patch_of_unknown_id_answers_403(api: httpx.Client) -> None:
    """§6.3: subscriptions, whatever the method."""
    response = api.patch("/subscriptions/Zzzzzzz", params=Q, json={"productId": "Yyyyyyy"})
    assert response.status_code == 403


def test_ids_of_another_team_also_answer_403(emulator, api: httpx.Client) -> None:
    """§6.3: 403 "for an id that does not exist as well as for one owned by another team"."""
    product = h.product(api)
    sub = h.subscription(api, product["id"], "ops@acme.example")
    alert = h.anomaly(api)
    slack = h.slack(api)
    emulator.add_team("hak_other", "OTHteam")
    with httpx.Client(
        base_url=emulator.api_url + "/v2/api", headers={"x-api-key": "hak_other"}
    ) as other:
        for path in (
            f"/subscriptions/{sub['id']}",
            f"/sources/ai/anomaly/{alert['id']}",
            f"/configurations/slack/{slack['id']}",
        ):
            assert other.get(path).status_code == 403
            assert other.delete(path).status_code == 403
    assert api.get(f"/subscriptions/{sub['id']}", params=Q).status_code == 200


@pytest.mark.parametrize("path", [*FORBIDDEN, "/products", "/organizations"])
def test_undecodable_ids_answer_400(api: httpx.Client, path: str) -> None:
    """§6.3: "Undecodable hashid -> 400"."""
    response = api.get(f"{path}/not-a-hashid!", params=Q)
    assert response.status_code == 400
    assert "failed to decode hashed id" in response.json()["message"]


def test_other_collections_keep_404(api: httpx.Client) -> None:
    """§6.3 names three services; products (e.g.) keep the documented 404 (§10.2)."""
    assert api.get("/products/Zzzzzzz", params=Q).status_code == 404


@pytest.mark.parametrize("bad", ["Zzzzzzz", "not-a-hashid!"])
def test_bad_slack_id_in_an_alert_write_is_a_4xx(api: httpx.Client, bad: str) -> None:
    """§6.3: "a bad id in slackConfigurations fails the anomaly write with a 4xx"."""
    created = api.post("/sources/ai/anomaly", json=h.anomaly_body(slackConfigurations=[bad]))
    assert created.status_code == 400
    assert list(created.json()["details"]) == ["slackConfigurations[0]"]
    alert = h.anomaly(api)
    body = h.anomaly_body(slackConfigurations=[bad])
    updated = api.put(f"/sources/ai/anomaly/{alert['id']}", params=Q, json=body)
    assert updated.status_code == 400
