"""Where credentials come from: flags, then REVENIUM_* variables, then the Revenium CLI's
own config file (~/.config/revenium/config.yaml). Nothing is ever written.

The file belongs to another tool: it is read only for values still missing, and a file that
cannot be read never blocks a run whose required values (key, team) are all given, nor is
any of its contents (such as the key line) ever printed.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import yaml

from ..core.errors import ConfigError

log = logging.getLogger("revsync.config")

DEFAULT_API_URL = "https://api.revenium.ai/profitstream"
ENV = {
    "api_key": "REVENIUM_API_KEY",
    "api_url": "REVENIUM_API_URL",
    "team_id": "REVENIUM_TEAM_ID",
    "tenant_id": "REVENIUM_TENANT_ID",
    "owner_id": "REVENIUM_OWNER_ID",
}
FILE_KEYS = {
    "api_key": "key",
    "api_url": "api-url",
    "team_id": "team-id",
    "tenant_id": "tenant-id",
    "owner_id": "owner-id",
}


@dataclass(frozen=True)
class Credentials:
    api_url: str
    api_key: str = field(repr=False)
    team_id: str
    tenant_id: str
    owner_id: str | None
    sources: dict[str, str]  # field -> "flag" | "REVENIUM_API_KEY" | config file path


def config_file(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "revenium" / "config.yaml"


def _read_file(path: Path) -> dict[str, str]:
    """The file's values; ConfigError naming only the file and line when it is broken."""
    try:
        if not path.is_file():
            return {}
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"cannot read {path}: not valid YAML{where}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if v is not None}


def _file_values(path: Path, required_missing: bool) -> dict[str, str]:
    try:
        return _read_file(path)
    except ConfigError as exc:
        if required_missing:
            raise
        log.warning("ignoring %s", exc.message)
        return {}


def resolve(
    flags: Mapping[str, str | None],
    env: Mapping[str, str] | None = None,
    insecure_http: bool = False,
) -> Credentials:
    env = os.environ if env is None else env
    path = config_file(env)
    values: dict[str, str | None] = {}
    sources: dict[str, str] = {}
    for name in ENV:
        if flags.get(name):
            values[name], sources[name] = flags[name], "flag"
        elif env.get(ENV[name]):
            values[name], sources[name] = env[ENV[name]], ENV[name]
        else:
            values[name] = None
    missing = [name for name in ENV if values[name] is None]
    if missing:
        from_file = _file_values(path, not (values["api_key"] and values["team_id"]))
        for name in missing:
            if from_file.get(FILE_KEYS[name]):
                values[name], sources[name] = from_file[FILE_KEYS[name]], str(path)
    if not values["api_key"]:
        raise ConfigError(
            "no Revenium API key",
            f"Set {ENV['api_key']}=hak_..., or pass --api-key, or put 'key: hak_...' in {path} "
            "(the Revenium CLI's config file). Use --emulator to try revsync without one.",
        )
    if not values["team_id"]:
        raise ConfigError(
            "no team id",
            f"Set {ENV['team_id']}, or pass --team-id, or put 'team-id: ...' in {path}.",
        )
    api_url = check_url(values["api_url"] or DEFAULT_API_URL, insecure_http)
    sources.setdefault("api_url", "default")
    return Credentials(
        api_url=api_url,
        api_key=checked_key(str(values["api_key"])),
        team_id=str(values["team_id"]),
        tenant_id=str(values["tenant_id"] or values["team_id"]),
        owner_id=values["owner_id"],
        sources=sources,
    )


def check_url(url: str, insecure_http: bool) -> str:
    """The key goes only over HTTPS, except to this machine or with --insecure-http."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConfigError(f"API URL {display_url(url)!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"API URL {display_url(url)!r} is not an http(s) URL")
    if parts.scheme == "http" and not insecure_http and not is_loopback(parts.hostname):
        raise ConfigError(
            f"refusing to send the API key over plain http to {parts.hostname}",
            "Use https, or pass --insecure-http if you really mean it.",
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"API URL {display_url(url)!r} must not have a query or fragment")
    url = url.rstrip("/")
    if parts.path in ("", "/"):
        url += "/profitstream"
    return url


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_key(key: str) -> str:
    """The key without surrounding whitespace (a `\\n` from `$(cat key)`); never echoed."""
    key = key.strip()
    if not key:
        raise ConfigError("the Revenium API key is empty")
    if not all("!" <= char <= "~" for char in key):
        raise ConfigError(
            "the Revenium API key contains spaces, control or non-ASCII characters (not shown)",
            "Check how REVENIUM_API_KEY (or --api-key) is set.",
        )
    return key


def display_url(url: str) -> str:
    """`url` without any user:password part, for messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.rsplit("@", 1)[-1]
    if parts.username is None and parts.password is None:
        return url
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def url_secrets(url: str) -> list[str]:
    """The credentials embedded in `url` (as written and decoded), to be redacted."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    userinfo = parts.netloc.rpartition("@")[0]
    if not userinfo:
        return []
    password = userinfo.partition(":")[2]
    return [s for s in (userinfo, password, unquote(password), unquote(userinfo)) if s]
