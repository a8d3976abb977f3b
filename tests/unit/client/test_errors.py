"""The client's error contract: every failure is an ApiError (or Ambiguous), never a traceback."""

from __future__ import annotations

import gzip
import json
import time

import httpx
import pytest

from revsync.client.breaker import ApiUnreachable
from revsync.client.http import Ambiguous, ApiError

from .server import KEY, client, free_port, send, serve, url


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        ({"Content-Encoding": "gzip"}, b"this is not gzip", "undecodable answer"),
        ({}, b'{"a": \xff\xfe}', "not valid UTF-8"),
        ({}, b'{"a": [1, 2', "malformed JSON"),
        ({}, b"[" * 5000 + b"]" * 5000, "nested deeper than"),
        ({}, b'{"n": ' + b"9" * 5000 + b"}", "a number of 5000 characters"),
        ({}, b'{"a": [{"n": 1' + b"0" * 100 + b"}]}", "a number of 101 characters"),
        ({}, b'{"a": [-1' + b"0" * 99 + b"]}", "a number of 101 characters"),
        ({}, b'{"a": [1.' + b"5" * 200 + b"]}", "a number of 202 characters"),
        ({}, b'{"n": NaN}', "NaN is not a JSON number"),
    ],
)
def test_undecodable_answers_are_api_errors(headers, body, message) -> None:
    with serve(lambda h: send(h, 200, body, headers)) as server:
        c = client(url(server))
        with pytest.raises(ApiError, match=message):
            c.request("GET", "/v2/api/products")
        c.close()


def test_gzip_garbled_post_answer_is_an_api_error_not_a_traceback() -> None:
    reply = {"Content-Encoding": "gzip"}
    with serve(lambda h: send(h, 201, b"garbled", reply)) as server:
        c = client(url(server))
        with pytest.raises(ApiError, match="undecodable"):
            c.request("POST", "/v2/api/products", None, {"name": "x"})
        c.close()
    good = gzip.compress(json.dumps({"id": "a"}).encode())
    with serve(lambda h: send(h, 200, good, reply)) as server:
        c = client(url(server))
        assert c.request("GET", "/v2/api/products") == {"id": "a"}
        c.close()


def test_any_httpx_error_is_mapped() -> None:
    """Exceptions no allow-list names: transport errors on POST are Ambiguous, others ApiError."""

    def raising(exc: Exception):
        def handler(request: httpx.Request) -> httpx.Response:
            raise exc

        return handler

    lost = httpx.NetworkError("weird network failure")
    c = client("https://api.example/profitstream", transport=httpx.MockTransport(raising(lost)))
    with pytest.raises(Ambiguous, match="weird network failure"):
        c.request("POST", "/v2/api/products", None, {})
    with pytest.raises(ApiError, match="gave up after"):
        c.request("GET", "/v2/api/products")
    for exc in (httpx.TooManyRedirects("loop"), httpx.StreamConsumed()):
        c = client("https://api.example/profitstream", transport=httpx.MockTransport(raising(exc)))
        with pytest.raises(ApiError):
            c.request("GET", "/v2/api/products")


def test_nothing_listening_at_the_start_fails_within_seconds_naming_the_url() -> None:
    api_url = f"http://127.0.0.1:{free_port()}/profitstream"
    c = client(api_url, retry_time=42)
    started = time.monotonic()
    with pytest.raises(ApiUnreachable) as info:
        c.request("GET", "/v2/api/products")
    assert time.monotonic() - started < 4
    assert api_url in info.value.message and "connection refused" in info.value.message
    assert info.value.hint and "--api-url" in info.value.hint
    started = time.monotonic()
    with pytest.raises(ApiUnreachable):  # later requests fail at once
        c.request("GET", "/v2/api/products")
    assert time.monotonic() - started < 0.1


def test_a_tls_failure_shows_its_cause() -> None:
    with serve(lambda h: send(h, 200, b"{}")) as server:
        https = url(server).replace("http://", "https://")
        c = client(https, retry_time=30)
        started = time.monotonic()
        with pytest.raises(ApiError) as info:
            c.request("GET", "/v2/api/products")
        assert time.monotonic() - started < 3  # not retried: it would fail the same way
        assert "TLS error" in info.value.message or "certificate" in info.value.message
        assert https in info.value.message


def test_a_404_on_a_list_hints_at_the_api_url() -> None:
    with serve(lambda h: send(h, 404, b'{"message": "Not Found"}')) as server:
        c = client(url(server))
        with pytest.raises(ApiError) as info:
            c.list_all("/v2/api/products", {})
        assert info.value.status == 404
        assert info.value.hint and "--api-url" in info.value.hint
        with pytest.raises(ApiError) as info:  # a 404 for one object is not a URL problem
            c.request("DELETE", "/v2/api/products/abc")
        assert info.value.hint is None


def test_the_key_is_never_in_an_error() -> None:
    echo = {"message": f"bad key {KEY}", "details": {KEY: f"x{KEY}"}}
    with serve(lambda h: send(h, 400, json.dumps(echo).encode())) as server:
        c = client(url(server))
        with pytest.raises(ApiError) as info:
            c.request("GET", "/v2/api/products")
        assert KEY not in str(info.value) + json.dumps(info.value.details)


def test_numbers_of_a_hundred_characters_are_still_numbers() -> None:
    body = b'{"n": [-' + b"9" * 99 + b", " + b"9" * 100 + b"]}"
    with serve(lambda h: send(h, 200, body, {})) as server:
        c = client(url(server))
        assert c.request("GET", "/v2/api/products")["n"] == [-int("9" * 99), int("9" * 100)]
        c.close()
