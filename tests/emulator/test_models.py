"""AI models: GLOBAL catalog, CUSTOM models, clone, PATCH, pricing dimensions."""

from __future__ import annotations

import httpx

from . import helpers as h
from .helpers import TEAM, ok

MODELS = "/sources/ai/models"
DIM_IN = {
    "billingUnit": "PER_TOKEN",
    "modality": "TEXT",
    "costType": "TEXT_TOKEN_INPUT",
    "direction": "INPUT",
    "unitPrice": 1e-06,
}
DIM_IMG = {
    "billingUnit": "PER_IMAGE",
    "modality": "IMAGE",
    "costType": "IMAGE_GENERATION",
    "unitPrice": 0.04,
    "attributes": '{"size":"1024x1024"}',
}


def test_global_catalog_is_seeded_with_real_models(api: httpx.Client) -> None:
    page = ok(api.get(MODELS, params={"teamId": TEAM, "modelType": "GLOBAL", "size": 100}))
    names = {m["name"] for m in h.items(page)}
    assert {"gpt-4o", "claude-sonnet-4-20250514"} <= names
    gpt = h.global_model(api)
    assert gpt["team"] is None
    assert gpt["inputCostPerToken"] == 2.5e-06
    assert gpt["pricingDimensions"][0]["isGlobal"] is True


def test_model_put_is_not_supported(api: httpx.Client) -> None:
    created = ok(api.post(MODELS, json=h.model_body()))
    response = api.put(f"{MODELS}/{created['id']}", params={"teamId": TEAM}, json=h.model_body())
    assert response.status_code == 405
    assert "not supported" in response.json()["message"]


def test_patch_merges_price_fields(api: httpx.Client) -> None:
    created = ok(api.post(MODELS, json=h.model_body(cacheReadCostPerInputToken=1e-07)))
    patched = ok(
        api.patch(
            f"{MODELS}/{created['id']}",
            params={"teamId": TEAM},
            json={"outputCostPerToken": 3e-06, "mode": "ignored"},
        )
    )
    assert patched["outputCostPerToken"] == 3e-06
    assert patched["inputCostPerToken"] == 1e-06
    assert patched["cacheReadCostPerInputToken"] == 1e-07
    assert patched["mode"] is None


def test_patch_needs_team_id(api: httpx.Client) -> None:
    created = ok(api.post(MODELS, json=h.model_body()))
    response = api.patch(f"{MODELS}/{created['id']}", json={"outputCostPerToken": 3e-06})
    assert response.status_code == 400


def test_global_models_cannot_be_patched_or_deleted(api: httpx.Client) -> None:
    gpt = h.global_model(api)
    patch = api.patch(
        f"{MODELS}/{gpt['id']}", params={"teamId": TEAM}, json={"inputCostPerToken": 0}
    )
    assert patch.status_code == 403
    assert "clone" in patch.json()["message"]
    assert api.delete(f"{MODELS}/{gpt['id']}", params={"teamId": TEAM}).status_code == 403
    dims = api.put(f"{MODELS}/{gpt['id']}/pricing/dimensions", params={"teamId": TEAM}, json=[])
    assert dims.status_code == 403


def test_clone_creates_a_custom_copy_with_overrides(api: httpx.Client) -> None:
    gpt = h.global_model(api)
    clone = ok(
        api.post(
            f"{MODELS}/{gpt['id']}/clone",
            params={"teamId": TEAM},
            json={"inputCostPerToken": 2e-06},
        )
    )
    assert clone["id"] != gpt["id"]
    assert clone["name"] == "gpt-4o" and clone["provider"] == "OPENAI"
    assert clone["inputCostPerToken"] == 2e-06
    assert clone["outputCostPerToken"] == gpt["outputCostPerToken"]
    assert clone["team"]["id"] == TEAM
    assert all(d["isGlobal"] is False for d in clone["pricingDimensions"])
    custom = h.items(ok(api.get(MODELS, params={"teamId": TEAM, "modelType": "CUSTOM"})))
    assert [m["id"] for m in custom] == [clone["id"]]
    again = api.post(f"{MODELS}/{clone['id']}/clone", params={"teamId": TEAM}, json={})
    assert again.status_code == 400


def test_batch_save_replaces_the_whole_set(api: httpx.Client) -> None:
    created = ok(api.post(MODELS, json=h.model_body()))
    path = f"{MODELS}/{created['id']}/pricing/dimensions"
    one = ok(api.post(path, params={"teamId": TEAM}, json=DIM_IN))
    saved = ok(api.put(path, params={"teamId": TEAM}, json=[DIM_IMG]))
    assert [d["costType"] for d in saved["dimensions"]] == ["IMAGE_GENERATION"]
    pricing = ok(api.get(f"{MODELS}/{created['id']}/pricing", params={"teamId": TEAM}))
    assert [d["costType"] for d in pricing["dimensions"]] == ["IMAGE_GENERATION"]
    assert one["id"] not in [d["id"] for d in pricing["dimensions"]]
    model = ok(api.get(f"{MODELS}/{created['id']}", params={"teamId": TEAM}))
    assert model["pricingDimensions"] == pricing["dimensions"]


def test_single_dimension_replace_and_delete(api: httpx.Client) -> None:
    created = ok(api.post(MODELS, json=h.model_body()))
    path = f"{MODELS}/{created['id']}/pricing/dimensions"
    dim = ok(api.post(path, params={"teamId": TEAM}, json=DIM_IN))
    replaced = ok(
        api.put(f"{path}/{dim['id']}", params={"teamId": TEAM}, json={**DIM_IN, "unitPrice": 5e-06})
    )
    assert replaced["unitPrice"] == 5e-06 and replaced["id"] == dim["id"]
    ok(api.delete(f"{path}/{dim['id']}", params={"teamId": TEAM}))
    assert api.delete(f"{path}/{dim['id']}", params={"teamId": TEAM}).status_code == 404


def test_dimension_validation(api: httpx.Client) -> None:
    created = ok(api.post(MODELS, json=h.model_body()))
    path = f"{MODELS}/{created['id']}/pricing/dimensions"
    bad = api.put(
        path,
        params={"teamId": TEAM},
        json=[{**DIM_IN, "modality": "SMELL"}, {**DIM_IN, "tenantCreditRate": 2}],
    )
    assert bad.status_code == 400
    assert set(bad.json()["details"]) == {"[0].modality", "[1].tenantCreditRate"}
    not_array = api.put(path, params={"teamId": TEAM}, json=DIM_IN)
    assert not_array.status_code == 400


def test_list_filters(api: httpx.Client) -> None:
    ok(api.post(MODELS, json=h.model_body("gpt-4o-custom", provider="OPENAI")))
    exact = ok(api.get(MODELS, params={"teamId": TEAM, "query": "gpt-4o", "exactMatch": "true"}))
    assert [m["name"] for m in h.items(exact)] == ["gpt-4o"]
    fuzzy = ok(api.get(MODELS, params={"teamId": TEAM, "query": "gpt-4o", "size": 50}))
    assert {"gpt-4o", "gpt-4o-mini", "gpt-4o-custom"} <= {m["name"] for m in h.items(fuzzy)}
    anthropic = ok(api.get(MODELS, params={"teamId": TEAM, "provider": "ANTHROPIC"}))
    assert {m["provider"] for m in h.items(anthropic)} == {"ANTHROPIC"}
    providers = ok(api.get(f"{MODELS}/providers", params={"teamId": TEAM}))
    assert "OPENAI" in providers
    by_name = ok(api.get(f"{MODELS}/name/gpt-4o-custom"))
    assert by_name["provider"] == "OPENAI"
