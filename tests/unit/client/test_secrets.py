"""No secret in any message: the API key, URL credentials, values registered at run time."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from revsync.client.config import Credentials, resolve
from revsync.client.http import ApiClient, ApiError
from revsync.core.errors import ConfigError

from .server import KEY, client, free_port, send, serve, url

WEBHOOK = "https://hooks.slack.com/services/T0/B0/unit-very-secret"


def test_a_key_with_a_trailing_newline_is_stripped_and_sent_clean() -> None:
    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["x-api-key"])
        return httpx.Response(200, json={})

    creds = Credentials("https://api.example/profitstream", f"  {KEY}\n", "T", "T", None, {})
    ApiClient(creds, transport=httpx.MockTransport(handler)).request("GET", "/v2/api/x")
    assert sent == [KEY]
    got = resolve({}, {"REVENIUM_API_KEY": f"{KEY}\r\n", "REVENIUM_TEAM_ID": "T", "HOME": "/x"})
    assert got.api_key == KEY and KEY not in repr(got)


@pytest.mark.parametrize("bad", [f"{KEY} extra", f"{KEY}\x00", f"hak_\n{KEY}", f"{KEY}é"])
def test_a_malformed_key_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(ConfigError) as info:
        resolve({}, {"REVENIUM_API_KEY": bad, "REVENIUM_TEAM_ID": "T", "HOME": "/x"})
    assert KEY not in info.value.message + (info.value.hint or "")
    with pytest.raises(ConfigError) as info:
        ApiClient(Credentials("https://api.example/profitstream", bad, "T", "T", None, {}))
    assert KEY not in str(info.value)


def test_credentials_in_the_api_url_are_never_shown() -> None:
    api_url = f"http://revuser:s3cret%2Fpw@127.0.0.1:{free_port()}/profitstream"
    c = client(api_url)
    assert "s3cret" not in c.url and "revuser" not in c.url
    with pytest.raises(ApiError) as info:
        c.request("GET", "/v2/api/x")
    assert "s3cret" not in str(info.value) + info.value.message
    assert c.redact(f"see {api_url} and s3cret/pw") == "see http://***@127.0.0.1:" + (
        api_url.rsplit(":", 1)[1] + " and ***"
    )


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_registered_webhook_never_appears_in_an_echoed_body(content_type: str) -> None:
    """An API error that echoes the request body must not print the webhook (text or JSON)."""

    def echo(handler) -> None:
        sent = json.loads(handler.body)
        escaped = json.dumps(sent).replace("/", "\\/")  # as Jackson may escape it
        body = json.dumps({"message": f"invalid {escaped}", "details": {"webhookUrl": escaped}})
        if content_type == "text/plain":
            body = f"Bad request {handler.body.decode()} / {escaped}"
        send(handler, 400, body.encode(), {"Content-Type": content_type})

    with serve(echo) as server:
        c = client(url(server))
        c.add_secret(WEBHOOK)
        with pytest.raises(ApiError) as info:
            c.request("POST", "/v2/api/slack", None, {"webhookUrl": WEBHOOK, "name": "n"})
    shown = info.value.message + json.dumps(info.value.details) + str(info.value)
    assert "unit-very-secret" not in shown and "***" in shown


def test_a_broken_config_file_neither_blocks_nor_leaks(tmp_path: Path) -> None:
    config = tmp_path / "revenium" / "config.yaml"
    config.parent.mkdir()
    config.write_text("team-id: FILE\nkey: [hak_from_file_secret\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    got = resolve({}, {**env, "REVENIUM_API_KEY": "hak_env", "REVENIUM_TEAM_ID": "ENV"})
    assert (got.api_key, got.team_id) == ("hak_env", "ENV")
    with pytest.raises(ConfigError) as info:
        resolve({}, env)
    assert "hak_from_file_secret" not in info.value.message + (info.value.hint or "")
    assert "not valid YAML (line 3)" in info.value.message


def test_the_config_file_is_read_only_for_missing_values(tmp_path: Path, monkeypatch) -> None:
    from revsync.client import config

    def unreadable(path: Path) -> dict:
        raise AssertionError("the config file was read although nothing was missing")

    monkeypatch.setattr(config, "_read_file", unreadable)
    flags = {"api_key": "k", "team_id": "t", "tenant_id": "t", "owner_id": "o", "api_url": None}
    env = {"XDG_CONFIG_HOME": str(tmp_path), "REVENIUM_API_URL": "https://x.example/p"}
    assert resolve(flags, env).api_key == "k"
