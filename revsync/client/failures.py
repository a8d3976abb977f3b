"""What an httpx exception means for a request: was it sent, may it be retried, what to say.

Every `httpx.HTTPError` is classified (no allow-list that a new httpx exception slips past):
- `NOT_SENT`: the request never left; sending it again is always safe.
- `MAYBE_SENT`: any other transport error; the server may have acted on it.
- `FATAL`: retrying cannot help (TLS refused, bad URL scheme, an undecodable body...).
"""

from __future__ import annotations

import errno
import ssl
from dataclasses import dataclass
from typing import Literal

import httpx

Kind = Literal["not_sent", "maybe_sent", "fatal"]


@dataclass(frozen=True)
class Failure:
    kind: Kind
    message: str
    unreachable: bool  # evidence that nothing answers at the API URL


def _causes(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _tls_cause(exc: BaseException) -> str | None:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"certificate verification failed: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause}"
    return None


def _refused(exc: BaseException) -> bool:
    for cause in _causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return True
        if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
            return True
    return "refused" in str(exc).lower()


def classify(exc: Exception, url: str) -> Failure:
    """The meaning of `exc` (from httpx), raised while talking to `url` (credential-free)."""
    name = type(exc).__name__
    tls = _tls_cause(exc)
    if tls is not None:
        return Failure("fatal", f"cannot connect to {url}: {tls}", False)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return Failure("fatal", f"cannot connect to {url}: unsupported URL ({exc})", False)
    if isinstance(exc, httpx.ConnectError):
        reason = "connection refused" if _refused(exc) else f"{name}: {exc or 'no detail'}"
        return Failure("not_sent", f"cannot connect to {url}: {reason}", True)
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure("not_sent", f"cannot connect to {url}: connection timed out", True)
    if isinstance(exc, httpx.PoolTimeout):
        return Failure("not_sent", "no free connection in time (PoolTimeout)", False)
    if isinstance(exc, httpx.TimeoutException):
        return Failure("maybe_sent", f"no answer in time ({name})", False)
    if isinstance(exc, httpx.TransportError):
        reset = any(isinstance(c, ConnectionResetError) for c in _causes(exc))
        return Failure("maybe_sent", f"no answer ({name}: {exc or 'connection lost'})", reset)
    if isinstance(exc, httpx.DecodingError):
        return Failure("fatal", f"undecodable answer from Revenium ({exc})", False)
    return Failure("fatal", f"{name}: {exc}", False)
