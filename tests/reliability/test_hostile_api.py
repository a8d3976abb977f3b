"""An API that misbehaves: bad ids, bad bodies, bad pages. Clear errors, never a traceback,
never a request to a path an id escaped into."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from revsync.client import http as http_module
from revsync.emulator import Emulator

UNSAFE_IDS = ["../x", "a/b", "a?b=c", "50%2F", ".."]


def _plant(env: Emulator, kind: str, ident: str, name: str, extra: dict) -> None:
    obj = {
        "id": ident,
        "name": name,
        "created": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z",
        **extra,
    }
    env.store.insert(kind, env.team_id, obj, name)


def test_ids_that_would_escape_a_path_are_never_used(revsync, env: Emulator, write) -> None:
    for i, ident in enumerate(UNSAFE_IDS):
        _plant(env, "element", ident, f"weird-{i}", {"type": "NUMBER", "description": None})
    folder = write(
        "meteringElements:\n  - {name: weird-0, type: STRING}\n  - {name: fine, type: NUMBER}\n"
    )
    planned = revsync("plan", folder, "--prune", "--allow-mass-delete")
    assert planned.code == 4  # the entry named like an unsafe object is refused
    assert "refused" in planned.out.lower() and "meteringElements/weird-0" in planned.out
    for ident in UNSAFE_IDS:
        assert f"its id {ident!r} is not safe to put in a URL" in planned.out
    folder = write("meteringElements:\n  - {name: fine, type: NUMBER}\n")
    applied = revsync("apply", folder, "--prune", "--allow-mass-delete", "--auto-approve")
    assert applied.code == 0, applied.out
    paths = [r["path"] for r in env.requests()]
    for ident in UNSAFE_IDS:
        assert not any(ident in p or ident.replace("/", "%2F") in p for p in paths)
    assert len(env.objects("element")) == len(UNSAFE_IDS) + 1
    assert "Traceback" not in planned.err + applied.err


class _Canned(BaseHTTPRequestHandler):
    response: tuple[int, dict[str, str], bytes] = (200, {}, b"")

    def log_message(self, *args) -> None:
        pass

    def _answer(self) -> None:
        status, headers, body = self.server.canned  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer


@pytest.fixture
def canned(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(
        "REVENIUM_API_URL", f"http://127.0.0.1:{server.server_address[1]}/profitstream"
    )

    def set_answer(status: int, headers: dict[str, str], body: bytes) -> None:
        server.canned = (status, headers, body)  # type: ignore[attr-defined]

    yield set_answer
    server.shutdown()


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("status", "headers", "body", "message"),
    [
        (
            502,
            {"Content-Type": "text/html"},
            b"<html><h1>502 Bad Gateway</h1></html>",
            "gave up after",
        ),
        (
            200,
            {"Content-Type": "text/html"},
            b"<html>login page</html>",
            "expected JSON from Revenium, got text/html",
        ),
        (200, JSON, b'{"_embedded": {"x": [', "malformed JSON"),
        (200, {"Content-Type": "text/plain"}, b"OK", "expected JSON"),
        (200, {**JSON, "Content-Length": "500"}, b'{"page": {', "gave up after"),
        (200, JSON, b'{"_embedded": {"x": [1, 2]}}', "an item is not an object"),
        (200, JSON, b'{"_embedded": {"x": []}, "page": {"totalPages": 999999999}}', "refusing"),
        (404, JSON, b'{"status": 404, "message": "No such path"}', "404 No such path"),
        (500, JSON, b"{}", "gave up after"),
    ],
)
def test_bad_answers_are_clear_errors(
    revsync, write, canned, status, headers, body, message
) -> None:
    canned(status, headers, body)
    result = revsync("plan", write("meteringElements: []\n"), "--retry-time", "1")
    assert result.code == 1
    assert message in result.err, result.err
    assert "Traceback" not in result.err


def test_huge_pages_are_refused(revsync, write, canned, monkeypatch) -> None:
    monkeypatch.setattr(http_module, "MAX_RESPONSE_BYTES", 10_000)
    canned(200, JSON, b'{"_embedded": {"x": [' + b'{"id": "a"},' * 5000 + b'{"id": "b"}]}}')
    result = revsync("plan", write("meteringElements: []\n"))
    assert result.code == 1 and "refusing to read it" in result.err


def test_plain_http_to_a_remote_host_is_refused(revsync, write, monkeypatch, canned) -> None:
    monkeypatch.setenv("REVENIUM_API_URL", "http://api.revenium.example/profitstream")
    result = revsync("plan", write("meteringElements: []\n"))
    assert result.code == 1
    assert "refusing to send the API key over plain http" in result.err
    assert "--insecure-http" in result.err


def test_a_garbled_gzip_answer_is_a_clear_error(revsync, write, canned) -> None:
    canned(200, {**JSON, "Content-Encoding": "gzip"}, b"not gzip at all")
    result = revsync("plan", write("meteringElements: []\n"), "--retry-time", "1")
    assert result.code == 1 and "undecodable answer" in result.err, result.err
    assert "Traceback" not in result.err


def test_nothing_listening_fails_fast_naming_the_url(revsync, write, monkeypatch) -> None:
    import socket
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api_url = f"http://127.0.0.1:{port}/profitstream"
    monkeypatch.setenv("REVENIUM_API_URL", api_url)
    started = time.monotonic()
    result = revsync("plan", write("meteringElements: []\n"))  # default --retry-time
    assert time.monotonic() - started < 6
    assert result.code == 1 and api_url in result.err and "connection refused" in result.err
    assert "Traceback" not in result.err
