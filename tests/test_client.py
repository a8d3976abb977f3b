"""The API client: credentials, retries, pacing, paging and answers it must not trust."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from revsync.client import http as http_module
from revsync.client.config import Credentials, resolve
from revsync.client.http import Ambiguous, ApiClient, ApiError
from revsync.core.errors import ConfigError
from revsync.emulator import Emulator

KEY = "hak_secret_test_key_123"


def creds(url: str = "https://api.example/profitstream", key: str = KEY) -> Credentials:
    return Credentials(url, key, "T1", "T1", None, {})


# credentials ---------------------------------------------------------------------------------
def test_precedence_flags_then_env_then_file(tmp_path: Path) -> None:
    config = tmp_path / "revenium" / "config.yaml"
    config.parent.mkdir()
    config.write_text(
        "key: hak_file\napi-url: https://file.example/profitstream\n"
        "team-id: FILEteam\nowner-id: FILEown\n"
    )
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    got = resolve({}, env)
    assert (got.api_key, got.api_url, got.team_id, got.tenant_id, got.owner_id) == (
        "hak_file",
        "https://file.example/profitstream",
        "FILEteam",
        "FILEteam",
        "FILEown",
    )
    env |= {"REVENIUM_API_KEY": "hak_env", "REVENIUM_TEAM_ID": "ENVteam"}
    got = resolve({}, env)
    assert (got.api_key, got.team_id, got.owner_id) == ("hak_env", "ENVteam", "FILEown")
    assert got.sources["api_key"] == "REVENIUM_API_KEY"
    got = resolve({"api_key": "hak_flag", "tenant_id": "FLAGtenant"}, env)
    assert (got.api_key, got.team_id, got.tenant_id) == ("hak_flag", "ENVteam", "FLAGtenant")


def test_home_config_file_location(tmp_path: Path) -> None:
    config = tmp_path / ".config" / "revenium" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("key: hak_home\nteam-id: HOMEteam\n")
    got = resolve({}, {"HOME": str(tmp_path)})
    assert got.api_key == "hak_home"
    assert got.api_url == "https://api.revenium.ai/profitstream"


def test_missing_key_says_where_to_put_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        resolve({}, {"HOME": str(tmp_path)})
    assert info.value.message == "no Revenium API key"
    assert "REVENIUM_API_KEY" in info.value.hint and "config.yaml" in info.value.hint
    with pytest.raises(ConfigError, match="no team id"):
        resolve({"api_key": "k"}, {"HOME": str(tmp_path)})


@pytest.mark.parametrize(
    ("url", "insecure", "result"),
    [
        ("https://api.revenium.ai/profitstream", False, "https://api.revenium.ai/profitstream"),
        ("https://api.revenium.ai/", False, "https://api.revenium.ai/profitstream"),
        ("http://127.0.0.1:8765/profitstream", False, "http://127.0.0.1:8765/profitstream"),
        ("http://localhost:8765/profitstream/", False, "http://localhost:8765/profitstream"),
        ("http://[::1]:8765/profitstream", False, "http://[::1]:8765/profitstream"),
        ("http://api.example/profitstream", True, "http://api.example/profitstream"),
        ("http://api.example/profitstream", False, "plain http"),
        ("ftp://api.example", False, "not an http(s) URL"),
        ("https://api.example/p?x=1", False, "query"),
    ],
)
def test_api_url_rules(url: str, insecure: bool, result: str) -> None:
    flags = {"api_key": "k", "team_id": "t", "api_url": url}
    if result.startswith("http"):
        assert resolve(flags, {}, insecure_http=insecure).api_url == result
    else:
        with pytest.raises(ConfigError) as info:
            resolve(flags, {}, insecure_http=insecure)
        assert result in info.value.message


# retries against the emulator ------------------------------------------------------------------
@pytest.fixture
def client(emulator: Emulator):
    c = ApiClient(
        Credentials(
            emulator.api_url, emulator.api_key, emulator.team_id, emulator.team_id, None, {}
        ),
        timeout=2,
        retry_time=20,
    )
    yield c
    c.close()


def test_429_is_retried_after_retry_after(emulator: Emulator, client: ApiClient) -> None:
    emulator.faults.configure(p429=0.5, retry_after=0.1, seed=1)
    for _ in range(10):
        client.request("GET", "/v2/api/products", {"teamId": emulator.team_id})
    assert client.stats["status_429"] > 0
    assert client.stats["retries"] == client.stats["status_429"]


def test_5xx_is_retried_for_reads_but_ambiguous_for_creates(emulator, client) -> None:
    emulator.faults.configure(p5xx=0.4, seed=3)
    for _ in range(10):
        client.request("GET", "/v2/api/products", {"teamId": emulator.team_id})
    assert client.stats["retries"] > 0
    emulator.faults.configure(p5xx=1.0)
    with pytest.raises(Ambiguous):
        client.request(
            "POST",
            "/v2/api/metering-element-definitions",
            None,
            {"name": "x", "type": "NUMBER", "teamId": emulator.team_id},
        )


def test_lost_answers_and_timeouts(emulator: Emulator, client: ApiClient) -> None:
    emulator.faults.configure(p_drop_after_write=1.0)
    body = {"name": "x", "type": "NUMBER", "teamId": emulator.team_id}
    with pytest.raises(Ambiguous):
        client.request("POST", "/v2/api/metering-element-definitions", None, body)
    ident = emulator.objects("element")[0]["id"]
    # an idempotent PUT is simply sent again until an answer arrives
    emulator.faults.configure(p_drop_after_write=0.5, seed=2)
    answer = client.request(
        "PUT",
        f"/v2/api/metering-element-definitions/{ident}",
        {"teamId": emulator.team_id},
        {**body, "description": "d"},
    )
    assert answer["description"] == "d"
    emulator.faults.configure(p_slow=1.0, slow_seconds=3)
    started = time.monotonic()
    with pytest.raises(Ambiguous):
        client.request("POST", "/v2/api/metering-element-definitions", None, body)
    assert time.monotonic() - started < 3


def test_retries_are_bounded_in_time(emulator: Emulator) -> None:
    emulator.faults.configure(p5xx=1.0)
    c = ApiClient(
        Credentials(emulator.api_url, emulator.api_key, "EMUteam", "EMUteam", None, {}),
        retry_time=1.0,
    )
    started = time.monotonic()
    with pytest.raises(ApiError, match="gave up after"):
        c.request("GET", "/v2/api/products", {"teamId": "EMUteam"})
    assert time.monotonic() - started < 2.5
    c.close()


def test_client_paces_itself_from_rate_limit_headers(emulator: Emulator, client) -> None:
    emulator.ratelimit.rate = 20
    started = time.monotonic()

    def work() -> None:
        for _ in range(15):
            client.request("GET", "/v2/api/products", {"teamId": emulator.team_id})

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    limited = [r for r in emulator.requests() if r["status"] == 429]
    assert len(limited) <= 4, len(limited)  # at most the first window's in-flight guesses
    assert elapsed > 1.0  # 60 requests at 20/s need three one-second windows


def test_list_all_reads_every_page(emulator: Emulator, client: ApiClient) -> None:
    for i in range(250):
        emulator.store.insert(
            "element",
            emulator.team_id,
            {"id": f"E{i:06d}", "name": f"e{i}", "type": "NUMBER", "created": "x", "updated": "x"},
            f"e{i}",
        )
    items = client.list_all("/v2/api/metering-element-definitions", {"teamId": emulator.team_id})
    assert len(items) == 250
    pages = [r for r in emulator.requests() if r["method"] == "GET"]
    assert len(pages) == 3
    assert {r["query"]["size"] for r in pages} == {"100"}


# answers that must not be trusted ----------------------------------------------------------------
def mock(handler) -> ApiClient:
    return ApiClient(creds(), transport=httpx.MockTransport(handler), retry_time=2)


def test_key_goes_in_header_only_to_the_configured_host() -> None:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("x-api-key")))
        return httpx.Response(302, headers={"location": "https://evil.example/steal"})

    c = mock(handler)
    with pytest.raises(ApiError) as info:
        c.request("GET", "/v2/api/products")
    assert seen == [("api.example", KEY)]
    assert "redirect to https://evil.example/steal not followed" in info.value.message


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(
                200,
                text="<html><body>Bad gateway</body></html>",
                headers={"content-type": "text/html"},
            ),
            "expected JSON from Revenium, got text/html (status 200): Bad gateway",
        ),
        (
            httpx.Response(
                200,
                content=b'{"_embedded": {"productResourceList": [',
                headers={"content-type": "application/json"},
            ),
            "malformed JSON from Revenium",
        ),
        (
            httpx.Response(200, content=b"not json", headers={"content-type": "application/json"}),
            "malformed JSON from Revenium",
        ),
        (
            httpx.Response(
                400, text=f"<html>error for {KEY}</html>", headers={"content-type": "text/html"}
            ),
            "400 error for ***",
        ),
        (
            httpx.Response(
                400, json={"message": "Validation failed", "details": {"name": f"bad {KEY}"}}
            ),
            "400 Validation failed (name: bad ***)",
        ),
    ],
)
def test_bad_answers_become_clear_errors(response: httpx.Response, message: str) -> None:
    c = mock(lambda request: response)
    with pytest.raises(ApiError) as info:
        c.request("GET", "/v2/api/products")
    assert message in info.value.message
    assert KEY not in info.value.message


def test_huge_answers_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(http_module, "MAX_RESPONSE_BYTES", 1000)
    c = mock(lambda request: httpx.Response(200, json={"x": "y" * 5000}))
    with pytest.raises(ApiError, match="larger than"):
        c.request("GET", "/v2/api/products")


def paged_handler(pages: dict[str, dict], calls: list | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        if calls is not None:
            calls.append(request.url.params["page"])
        return httpx.Response(200, json=pages[request.url.params["page"]])

    return handler


def page(ids: list[str], total: int, pages: int, extra: dict | None = None) -> dict:
    return {
        "_embedded": {"whateverList": [{"id": i, **(extra or {})} for i in ids]},
        "page": {"totalPages": pages, "totalElements": total, "size": 100},
    }


def test_list_shapes_and_unexpected_fields() -> None:
    full = [f"a{i}" for i in range(100)]
    pages = {"0": page(full, 101, 2, {"extra": {"deep": [1]}}), "1": page(["b"], 101, 2)}
    items = mock(paged_handler(pages)).list_all("/v2/api/x", {})
    assert len(items) == 101 and items[0]["extra"] == {"deep": [1]}
    bare = mock(lambda r: httpx.Response(200, json=[{"id": "b"}])).list_all("/v2/api/x", {})
    assert bare == [{"id": "b"}]
    empty = mock(
        lambda r: httpx.Response(200, json={"page": {"totalPages": 0, "totalElements": 0}})
    )
    assert empty.list_all("/v2/api/x", {}) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"_embedded": {"x": [{"id": "a"}, "junk"]}}, "an item is not an object"),
        ({"_embedded": ["a"]}, "_embedded is not an object"),
        ("just a string", "unexpected list answer"),
        (page(["a"], 10**9, 10**7), "announces 10000000 pages; refusing"),
        (page(["a"], 300, 3), "inconsistent paging"),
    ],
)
def test_malformed_lists_are_errors(body, message: str) -> None:
    c = mock(lambda r: httpx.Response(200, json=body))
    with pytest.raises(ApiError, match=message):
        c.list_all("/v2/api/x", {})


def test_a_list_that_changes_while_read_is_read_again() -> None:
    full = [f"a{i}" for i in range(100)]
    reads = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        number = request.url.params["page"]
        if number == "0":
            reads["n"] += 1
        shifted = reads["n"] == 1  # first read: an object was deleted between the pages
        if number != "0" and shifted:  # the deletion moved "b" onto page 0, page 1 is empty
            return httpx.Response(200, json=page([], 100, 1))
        return httpx.Response(200, json=page(full if number == "0" else ["b"], 101, 2))

    c = mock(handler)
    assert len(c.list_all("/v2/api/x", {})) == 101
    assert c.stats["list_rereads"] == 1
    always = mock(
        lambda r: httpx.Response(
            200,
            json=page(full, 101, 2)
            if r.url.params["page"] == "0"
            else page(["b", "c"], 102, 2),  # one more object each time page 1 is read
        )
    )
    with pytest.raises(ApiError, match="kept changing"):
        always.list_all("/v2/api/x", {})


def test_unsafe_ids_are_never_put_in_a_path(emulator: Emulator) -> None:
    from revsync.core.ids import safe_id

    for bad in ("..", ".", "a/b", "a?b", "a%2Fb", "", "a b", "x" * 200, None, 5):
        assert not safe_id(bad)
    for good in ("JMwX9g4", "a91XJp", "af75417c0000", "id-with_dash.and~tilde"):
        assert safe_id(good)


def test_logs_never_show_the_key(emulator: Emulator, client, caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG, logger="revsync.http")
    client.request("GET", "/v2/api/products", {"teamId": emulator.team_id})
    assert caplog.records
    assert emulator.api_key not in caplog.text
    assert json.dumps(client.stats)


def test_rate_gate_waits_for_the_reset_and_trusts_the_lower_count() -> None:
    from revsync.client.ratelimit import GUARD, RateGate

    now = [1000.2]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    gate = RateGate(clock=lambda: now[0], sleep=sleep)
    gate.acquire()  # nothing known yet: go
    gate.observe(
        {"x-ratelimit-limit": "3", "x-ratelimit-remaining": "2", "x-ratelimit-reset": "1001"}
    )
    gate.acquire()
    gate.acquire()
    assert slept == []
    gate.acquire()  # the window is used up: wait for its reset
    assert now[0] == pytest.approx(1001 + GUARD)
    assert gate.remaining == 2  # a fresh window of 3, one of them just taken
    gate.observe(
        {"x-ratelimit-limit": "3", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1002"}
    )  # someone else uses the same account
    assert gate.remaining == 0
    gate.observe(
        {"x-ratelimit-limit": "3", "x-ratelimit-remaining": "2", "x-ratelimit-reset": "1001"}
    )  # a late answer from the old window
    assert gate.remaining == 0
    gate.block_until(now[0] + 5)  # a 429 with Retry-After: 5
    before = now[0]
    gate.acquire()
    assert now[0] - before >= 5
