"""Where credentials come from: flags, then REVENIUM_* variables, then the Revenium CLI's
own config file (~/.config/revenium/config.yaml). Nothing is ever written."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..core.errors import ConfigError

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
    api_key: str
    team_id: str
    tenant_id: str
    owner_id: str | None
    sources: dict[str, str]  # field -> "flag" | "REVENIUM_API_KEY" | config file path

    def describe(self) -> str:
        return f"{self.api_url} (team {self.team_id})"


def config_file(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "revenium" / "config.yaml"


def _read_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        return {}
    return {k: str(v) for k, v in data.items() if v is not None}


def resolve(
    flags: Mapping[str, str | None],
    env: Mapping[str, str] | None = None,
    insecure_http: bool = False,
) -> Credentials:
    env = os.environ if env is None else env
    path = config_file(env)
    from_file = _read_file(path)
    values: dict[str, str | None] = {}
    sources: dict[str, str] = {}
    for field in ENV:
        if flags.get(field):
            values[field], sources[field] = flags[field], "flag"
        elif env.get(ENV[field]):
            values[field], sources[field] = env[ENV[field]], ENV[field]
        elif from_file.get(FILE_KEYS[field]):
            values[field], sources[field] = from_file[FILE_KEYS[field]], str(path)
        else:
            values[field] = None
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
        api_key=str(values["api_key"]),
        team_id=str(values["team_id"]),
        tenant_id=str(values["tenant_id"] or values["team_id"]),
        owner_id=values["owner_id"],
        sources=sources,
    )


def check_url(url: str, insecure_http: bool) -> str:
    """The key goes only over HTTPS, except to this machine or with --insecure-http."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"API URL {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not insecure_http and not is_loopback(parts.hostname):
        raise ConfigError(
            f"refusing to send the API key over plain http to {parts.hostname}",
            "Use https, or pass --insecure-http if you really mean it.",
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"API URL {url!r} must not have a query or fragment")
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
