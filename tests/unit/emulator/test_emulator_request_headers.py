"""The emulator reads request lines and headers itself (requestline.py); for every request
it must answer as `http.server` does, errors included."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from revsync.emulator.requestline import LeanRequests

NAMES = ("Host", "x-api-key", "Content-Length", "Connection", "Expect", "X-Folded")


class _Echo:
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        seen = {name: self.headers.get(name) for name in NAMES}
        body = json.dumps([self.command, self.path, seen, self.close_connection]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        """Quiet."""


class Stdlib(_Echo, BaseHTTPRequestHandler):
    pass


class Lean(_Echo, LeanRequests):
    pass


@contextmanager
def serving(handler: type) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def exchange(port: int, raw: bytes) -> bytes:
    """Send `raw`, read until the server closes or goes quiet; without Date/Server lines."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        conn.sendall(raw)
        chunks = []
        conn.settimeout(0.3)
        try:
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return re.sub(rb"(Date|Server): [^\r]*\r\n", b"", b"".join(chunks))


OK_HEAD = b"Host: h:1\r\nX-API-KEY: k\r\nx-api-key: second\r\n"
REQUESTS = {
    "plain": b"GET /a?b=c HTTP/1.1\r\n" + OK_HEAD + b"\r\n",
    "two in a row": b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\n",
    "lf only": b"GET /a HTTP/1.1\nHost: x\n\n",
    "close": b"GET /a HTTP/1.1\r\nConnection: Close\r\n\r\n",
    "keep-alive 1.0": b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "http 1.0": b"GET /a HTTP/1.0\r\n\r\n",
    "http 0.9": b"GET /a\r\n",
    "http 0.9 post": b"POST /a\r\n",
    "http 2": b"GET /a HTTP/2.0\r\n\r\n",
    "bad version": b"GET /a HTTP/1.x\r\n\r\n",
    "not http": b"GET /a FTP/1.1\r\n\r\n",
    "long version": b"GET /a HTTP/1." + b"1" * 11 + b"\r\n\r\n",
    "four words": b"GET /a b HTTP/1.1\r\n\r\n",
    "one word": b"GET\r\n\r\n",
    "empty line": b"\r\n",
    "double slash": b"GET //evil.example/x HTTP/1.1\r\n\r\n",
    "folded": b"GET /a HTTP/1.1\r\nX-Folded: one\r\n two\r\n\r\n",
    "no colon": b"GET /a HTTP/1.1\r\nnonsense\r\nHost: h\r\n\r\n",
    "bad name": b"GET /a HTTP/1.1\r\nx-api-key: k\r\nBad Name: v\r\nHost: h\r\n\r\n",
    "folded repeat": b"GET /a HTTP/1.1\r\nX-Folded: 1\r\nX-Folded: 2\r\n 3\r\n\r\n",
    "folded first": b"GET /a HTTP/1.1\r\n lead\r\nHost: h\r\n\r\n",
    "empty value": b"GET /a HTTP/1.1\r\nHost:\r\nExpect:  \r\n\r\n",
    "spaces": b"GET /a HTTP/1.1\r\nHost:   h:2   \r\n\r\n",
    "body": b"POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
    "expect": b"POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
    "99 headers": b"GET /a HTTP/1.1\r\n" + b"X-N: 1\r\n" * 99 + b"\r\n",
    "100 headers": b"GET /a HTTP/1.1\r\n" + b"X-N: 1\r\n" * 100 + b"\r\n",
    "long header": b"GET /a HTTP/1.1\r\nX-Long: " + b"x" * 65536 + b"\r\n\r\n",
}


@pytest.fixture(scope="module")
def ports() -> Iterator[tuple[int, int]]:
    with serving(Stdlib) as stdlib, serving(Lean) as lean:
        yield stdlib, lean


@pytest.mark.parametrize("name", REQUESTS)
def test_answers_as_http_server_does(ports: tuple[int, int], name: str) -> None:
    stdlib, lean = ports
    expected = exchange(stdlib, REQUESTS[name])
    assert exchange(lean, REQUESTS[name]) == expected
