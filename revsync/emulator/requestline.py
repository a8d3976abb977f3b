"""Reading a request's line and headers without `email.feedparser`.

`http.server` parses the headers of every request with the email package, which cost
more than a tenth of a list page read from kept items. The emulator reads three headers
(Host, x-api-key, Content-Length) and the two that steer the connection (Connection,
Expect); `LeanRequests.parse_request` answers the same as `http.server`'s for every
request line and header block, errors included.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler

MAX_LINE = 65536  # http.client._MAXLINE
MAX_HEADERS = 100  # http.client._MAXHEADERS
_NAME = re.compile(r"[\041-\071\073-\176]*")  # email.feedparser's header names


class Headers(dict[str, str]):
    """Request headers by lower-cased name; the first of repeated headers wins, as with
    `email.message.Message.get`."""

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return dict.get(self, name.lower(), default)


class HeaderError(Exception):
    """The header block is longer than `http.client` accepts."""


def read_headers(rfile) -> Headers:
    """The header block up to the empty line, as `http.client.parse_headers` reads it:
    its limits, folded lines kept as sent, and nothing after a line that is no header
    (the email parser takes the rest for a body)."""
    lines: list[str] = []
    for count in range(1, MAX_HEADERS + 2):
        line = rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise HeaderError(
                "Line too long", f"got more than {MAX_LINE} bytes when reading header line"
            )
        if count > MAX_HEADERS:  # http.client counts the empty line too
            raise HeaderError("Too many headers", f"got more than {MAX_HEADERS} headers")
        if line in (b"\r\n", b"\n", b""):
            break
        lines.append(line.decode("iso-8859-1"))
    fields: list[list[str]] = []  # [name, value as sent, folded lines included]
    for line in lines:
        if line[0] in " \t":  # a folded continuation of the header before
            if fields:
                fields[-1][1] += line
            continue
        name, colon, value = line.partition(":")
        if not colon or not _NAME.fullmatch(name):
            break
        fields.append([name, value.lstrip(" \t")])
    headers = Headers()
    for name, value in fields:
        headers.setdefault(name.lower(), value.rstrip("\r\n"))
    return headers


class LeanRequests(BaseHTTPRequestHandler):
    def parse_request(self) -> bool:
        """`BaseHTTPRequestHandler.parse_request` with `read_headers`."""
        if not self._parse_request_line():
            return False
        try:
            self.headers = read_headers(self.rfile)  # type: ignore[assignment]
        except HeaderError as exc:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, *exc.args)
            return False
        connection = (self.headers.get("Connection") or "").lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive" and self.protocol_version >= "HTTP/1.1":
            self.close_connection = False
        expect = (self.headers.get("Expect") or "").lower()
        if (
            expect == "100-continue"
            and self.protocol_version >= "HTTP/1.1"
            and self.request_version >= "HTTP/1.1"
        ):
            return self.handle_expect_100()
        return True

    def _parse_request_line(self) -> bool:
        """The request line, as `http.server` reads it (its first half, unchanged)."""
        self.command = None  # type: ignore[assignment]
        self.request_version = version = self.default_request_version
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if not words:
            return False
        if len(words) >= 3:
            version = words[-1]
            number = _version(version)
            if number is None:
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
                return False
            if number >= (1, 1) and self.protocol_version >= "HTTP/1.1":
                self.close_connection = False
            if number >= (2, 0):
                self.send_error(
                    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED,
                    f"Invalid HTTP version ({version.split('/', 1)[1]})",
                )
                return False
            self.request_version = version
        if not 2 <= len(words) <= 3:
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({self.requestline!r})")
            return False
        command, path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if command != "GET":
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad HTTP/0.9 request type ({command!r})")
                return False
        self.command, self.path = command, path
        if self.path.startswith("//"):  # gh-87389, as http.server does
            self.path = "/" + self.path.lstrip("/")
        return True


def _version(version: str) -> tuple[int, int] | None:
    """(major, minor) of `HTTP/x.y`, or None where http.server answers 400."""
    if not version.startswith("HTTP/"):
        return None
    parts = version.split("/", 1)[1].split(".")
    if len(parts) != 2 or not all(p.isdigit() and len(p) <= 10 for p in parts):
        return None
    return int(parts[0]), int(parts[1])
