"""A yes/no JSON Schema check compiled once into plain Python closures.

jsonschema walks the schema for every value, builds a validator per step and resolves
`$ref`s each time: 3.9 s for 13,000 entries. Almost every document is valid, so we first ask
this compiled check (about 20x faster); only a document it rejects goes through jsonschema,
whose errors carry the paths that become file:line messages. Both must agree on what is
valid: the compiler knows only the keywords our schema uses and refuses any other
(`Unsupported`), and then jsonschema does all the work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description"})
ANNOTATIONS |= {"default", "examples", "deprecated", "readOnly", "writeOnly"}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not know: use jsonschema alone."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or float(v).is_integer()),
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema sees it: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a is None and b is None


OBJECT_KEYWORDS = frozenset({"type", "properties", "additionalProperties", "required"})


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def check(v: Any) -> bool:
        for each in checks:  # noqa: SIM110 (faster than all() over a generator)
            if not each(v):
                return False
        return True

    return check


class Compiler:
    """Turns one schema (with local `#/$defs/...` references) into a single check."""

    def __init__(self, root: dict[str, Any], conforms: Callable[[Any, str], bool]) -> None:
        self.root = root
        self.conforms = conforms
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        keywords = {k: w for k, w in schema.items() if k not in ANNOTATIONS}
        if keywords.get("type") == "object" and OBJECT_KEYWORDS.issuperset(keywords):
            return self._object(keywords)
        checks = [self._keyword(k, w, schema) for k, w in keywords.items()]
        return _all([c for c in checks if c is not None])

    def _keyword(self, keyword: str, value: Any, schema: dict) -> Check | None:
        method = getattr(self, "_" + keyword.replace("$", "dollar_"), None)
        if method is None:
            raise Unsupported(keyword)
        return method(value, schema)

    def _object(self, keywords: dict[str, Any]) -> Check:
        """`type: object` with properties, additionalProperties and required, in one
        closure: most of the manifest is such mappings, checked once per entry."""
        checks = {name: self.compile(sub) for name, sub in keywords.get("properties", {}).items()}
        required = tuple(keywords.get("required", ()))
        extra = keywords.get("additionalProperties", True)
        closed = extra is False
        extra_check = None if extra is True or closed else self.compile(extra)
        known = frozenset(checks)

        def check(v: Any) -> bool:
            if not isinstance(v, dict) or (closed and not known.issuperset(v)):
                return False
            for key, item in v.items():
                each = checks.get(key, extra_check)
                if each is not None and not each(item):
                    return False
            return all(key in v for key in required)

        return check

    def _type(self, value: Any, schema: dict) -> Check:
        names = value if isinstance(value, list) else [value]
        tests = [TYPES[n] for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    def _enum(self, value: list, schema: dict) -> Check:
        if value and all(type(choice) is str for choice in value):
            texts = frozenset(value)  # _same of strings: a str equal to one of them
            return lambda v: type(v) is str and v in texts
        return lambda v: any(_same(v, choice) for choice in value)

    def _const(self, value: Any, schema: dict) -> Check:
        return lambda v: _same(v, value)

    def _pattern(self, value: str, schema: dict) -> Check:
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _minLength(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def _maxLength(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, str) or len(v) <= value

    def _minimum(self, value: float, schema: dict) -> Check:
        return lambda v: not _is_number(v) or v >= value

    def _maximum(self, value: float, schema: dict) -> Check:
        return lambda v: not _is_number(v) or v <= value

    def _maxItems(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, list) or len(v) <= value

    def _minItems(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def _uniqueItems(self, value: bool, schema: dict) -> Check:
        if not value:
            return lambda v: True
        return lambda v: (
            not isinstance(v, list)
            or not any(_same(a, b) for i, a in enumerate(v) for b in v[i + 1 :])
        )

    def _format(self, value: str, schema: dict) -> Check:
        conforms = self.conforms
        return lambda v: conforms(v, value)

    def _required(self, value: list, schema: dict) -> Check:
        return lambda v: not isinstance(v, dict) or all(k in v for k in value)

    def _items(self, value: Any, schema: dict) -> Check:
        each = self.compile(value)
        return lambda v: not isinstance(v, list) or all(each(x) for x in v)

    def _properties(self, value: dict, schema: dict) -> Check:
        checks = {name: self.compile(sub) for name, sub in value.items()}
        return lambda v: (
            not isinstance(v, dict) or all(checks[k](x) for k, x in v.items() if k in checks)
        )

    def _additionalProperties(self, value: Any, schema: dict) -> Check:
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        known = frozenset(schema.get("properties", {}))
        if value is False:
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        extra = self.compile(value)
        return lambda v: (
            not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)
        )

    def _dollar_ref(self, value: str, schema: dict) -> Check:
        if not value.startswith("#/$defs/") or "/" in value[len("#/$defs/") :]:
            raise Unsupported(f"$ref {value}")
        if value not in self.refs:
            self.refs[value] = lambda v: False  # a placeholder while a cycle compiles
            target = self.root.get("$defs", {}).get(value[len("#/$defs/") :])
            if target is None:
                raise Unsupported(f"$ref {value}")
            compiled = self.compile(target)
            self.refs[value] = compiled
        refs = self.refs
        return lambda v: refs[value](v)


def compile_schema(schema: dict[str, Any], conforms: Callable[[Any, str], bool]) -> Check | None:
    """A check that says exactly whether `schema` accepts a value; None when it cannot."""
    try:
        return Compiler(schema, conforms).compile(schema)
    except (Unsupported, KeyError, re.error):
        return None
