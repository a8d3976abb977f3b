"""Path patterns to handlers, for the paths under /profitstream/v2/api/."""

from __future__ import annotations

import re
from urllib.parse import unquote

from .errors import ApiError
from .resources.base import Collection, Handler

_Route = tuple[str, re.Pattern[str], Handler]


class Router:
    def __init__(self, collections: list[Collection]) -> None:
        # the routes a path can match, by its first segment (a placeholder there matches
        # any): a request tries a handful of patterns, not all of them, in the same order
        self._by_head: dict[str, list[_Route]] = {}
        self._any_head: list[_Route] = []
        for collection in collections:
            for route in collection.routes():
                regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route.pattern)
                compiled = (route.method, re.compile(f"^{regex}$"), route.handler)
                head = _head(route.pattern)
                if "{" in head:
                    self._any_head.append(compiled)
                    for routes in self._by_head.values():
                        routes.append(compiled)
                else:
                    self._by_head.setdefault(head, list(self._any_head)).append(compiled)

    def resolve(self, method: str, raw_path: str) -> tuple[Handler, dict[str, str]]:
        allowed = False
        for route_method, regex, handler in self._by_head.get(_head(raw_path), self._any_head):
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


def _head(path: str) -> str:
    return path.split("/", 1)[0]
