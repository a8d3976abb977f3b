"""Path patterns to handlers, for the paths under /profitstream/v2/api/."""

from __future__ import annotations

import re
from urllib.parse import unquote

from .errors import ApiError
from .resources.base import Collection, Handler


class Router:
    def __init__(self, collections: list[Collection]) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        for collection in collections:
            for route in collection.routes():
                regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route.pattern)
                self._routes.append((route.method, re.compile(f"^{regex}$"), route.handler))

    def resolve(self, method: str, raw_path: str) -> tuple[Handler, dict[str, str]]:
        allowed = False
        for route_method, regex, handler in self._routes:
            match = regex.match(raw_path)
            if not match:
                continue
            if route_method != method:
                allowed = True
                continue
            return handler, {k: unquote(v) for k, v in match.groupdict().items()}
        if allowed:
            raise ApiError(405, f"Request method '{method}' is not supported")
        raise ApiError(404, f"No endpoint {method} /v2/api/{raw_path}")
