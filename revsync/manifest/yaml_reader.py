"""Safe YAML reading that keeps file, line and column on every mapping and sequence.

Built on PyYAML's event stream (not its recursive composer), so nesting depth, alias
expansion and document size are bounded by us: hostile input gets a clear error, never a
hang, a crash or a traceback. Scalars follow the YAML 1.2 core schema: `yes`, `no`, `on`
and `off` are strings, and dates stay strings, as the Revenium API wants them.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.location import Location, LocDict, LocList
from ..core.problems import Problem
from .interpolate import interpolate, is_whole_reference

Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TAG = "tag:yaml.org,2002:"
NULLS = {"", "~", "null", "Null", "NULL"}
TRUES = {"true", "True", "TRUE"}
FALSES = {"false", "False", "FALSE"}
INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
SPECIAL_FLOAT = re.compile(r"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 32 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 2_000_000  # values in a file, alias expansion included
    max_alias_nodes: int = 50_000  # values copied in by aliases


class FatalYaml(Exception):
    def __init__(self, message: str, location: Location | None) -> None:
        super().__init__(message)
        self.problem = Problem(message, location)


def read_file(
    path: Path,
    display: str,
    env: Mapping[str, str],
    limits: Limits = Limits(),
    unset: list[tuple[str, Location]] | None = None,
) -> tuple[list[Any], list[Problem]]:
    """All documents of one file, and the problems met. A fatal problem yields no documents.

    Given an `unset` list, unset variables are placeholders (offline validation): each is
    appended there with where it was used, instead of being an error."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            mib = limits.max_bytes // (1024 * 1024)
            raise FatalYaml(f"file is {size:,} bytes; the limit is {mib} MiB", None)
        data = path.read_bytes()
        text = decode(data, display)
        builder = _Builder(display, env, limits, unset)
        builder.run(text)
        return builder.documents, builder.problems
    except FatalYaml as exc:
        problem = exc.problem
        problem.location = problem.location or Location(display, 1, 1)
        return [], [problem]
    except OSError as exc:
        return [], [Problem(f"cannot read file: {exc.strerror}", Location(display, 1, 1))]


def decode(data: bytes, display: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FatalYaml("file is UTF-16 encoded; save it as UTF-8", Location(display, 1, 1))
    if b"\x00" in data[:8192]:
        raise FatalYaml("file looks binary (contains NUL bytes); expected YAML text", None)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise FatalYaml(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); manifests must be UTF-8 text",
            Location(display, line, col),
        ) from None


class _Frame:
    __slots__ = ("anchor", "key", "key_loc", "key_raw", "merges", "size", "value")

    def __init__(self, value: LocDict | LocList, anchor: str | None) -> None:
        self.value = value
        self.anchor = anchor
        self.size = 1
        self.key: str | None = None
        self.key_loc: Location | None = None
        self.key_raw = False
        self.merges: list[LocDict] = []


class _Builder:
    def __init__(
        self,
        display: str,
        env: Mapping[str, str],
        limits: Limits,
        unset: list[tuple[str, Location]] | None = None,
    ) -> None:
        self.display = display
        self.env = env
        self.placeholders = unset is not None
        self.unset: list[tuple[str, Location]] = [] if unset is None else unset
        self.limits = limits
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.anchor_variables: dict[str, tuple[str, ...]] = {}  # of scalar anchors
        self.documents: list[Any] = []
        self.problems: list[Problem] = []
        self.nodes = 0
        self.alias_nodes = 0

    def loc(self, mark: Any) -> Location:
        return Location(self.display, mark.line + 1, mark.column + 1)

    def run(self, text: str) -> None:
        try:
            for event in yaml.parse(text, Loader=Parser):
                self.on(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = " ".join(p for p in (exc.context, exc.problem) if p)
            raise FatalYaml(f"YAML syntax error: {message}", mark and self.loc(mark)) from None
        except yaml.YAMLError as exc:
            location = None
            position = getattr(exc, "position", None)
            if position is not None:
                before = text[:position]
                location = Location(
                    self.display, before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
                )
            reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
            raise FatalYaml(f"YAML error: {reason}", location) from None

    # events ---------------------------------------------------------------------------
    def on(self, event: Any) -> None:
        if isinstance(event, yaml.MappingStartEvent):
            self.check_tag(event, "map")
            self.push(LocDict(loc=self.loc(event.start_mark)), event)
        elif isinstance(event, yaml.SequenceStartEvent):
            self.check_tag(event, "seq")
            self.push(LocList(loc=self.loc(event.start_mark)), event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if isinstance(frame.value, LocDict):
                self.apply_merges(frame)
            if frame.anchor:
                self.open_anchors.discard(frame.anchor)
                self.anchors[frame.anchor] = (frame.value, frame.size)
            self.add(frame.value, frame.value.loc, frame.size, scalar=False)
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.anchors.clear()

    def push(self, container: LocDict | LocList, event: Any) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise FatalYaml(
                f"nested deeper than {self.limits.max_depth} levels", self.loc(event.start_mark)
            )
        self.count(1, event.start_mark)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, LocDict) and parent.key is None:
            raise FatalYaml(
                "a key must be plain text, not a mapping or a list ('? ...' complex keys)",
                self.loc(event.start_mark),
            )
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container, event.anchor))

    def count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > self.limits.max_nodes:
            raise FatalYaml(
                f"document expands to more than {self.limits.max_nodes:,} values "
                "(alias expansion bomb?)",
                self.loc(mark),
            )

    def check_tag(self, event: Any, expected: str) -> None:
        tag = event.tag
        if tag not in (None, "!", TAG + expected):
            raise FatalYaml(f"unsupported YAML tag {tag!r}", self.loc(event.start_mark))

    def scalar(self, event: Any) -> None:
        self.count(1, event.start_mark)
        location = self.loc(event.start_mark)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, LocDict) and frame.key is None:
            if event.tag not in (None, "!", TAG + "str"):
                raise FatalYaml(f"unsupported tag on a mapping key: {event.tag!r}", location)
            frame.key = event.value
            frame.key_loc = location
            frame.key_raw = not event.style and event.value == "<<"
            return
        raw = event.value
        variables: tuple[str, ...] = ()
        plain_style = not event.style
        if "$" in raw:
            result = interpolate(raw, self.env, self.placeholders)
            for error in result.errors:
                self.problems.append(Problem(error, location))
            for name in result.unset:
                self.unset.append((name, location))
            variables = tuple(result.variables)
            if result.errors:
                value = raw  # reported once; no follow-up type errors
            else:
                whole = plain_style and is_whole_reference(raw)
                value = self.resolve(result.value, event, location, retype=whole)
        else:
            value = self.resolve(raw, event, location, retype=plain_style)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
            self.anchor_variables[event.anchor] = variables
        self.add(value, location, 1, scalar=True, variables=variables)

    def resolve(self, text: str, event: Any, location: Location, retype: bool) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            return core_scalar(text, location) if retype and tag is None else text
        kind = tag[len(TAG) :] if tag.startswith(TAG) else None
        if kind == "str":
            return text
        if kind in ("int", "float", "bool", "null"):
            value = core_scalar(text, location)
            expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[kind]
            if not isinstance(value, expected) or (kind != "bool" and isinstance(value, bool)):
                raise FatalYaml(f"{text!r} is not a valid !!{kind}", location)
            return float(value) if kind == "float" else value
        raise FatalYaml(f"unsupported YAML tag {tag!r}", location)

    def alias(self, event: Any) -> None:
        location = self.loc(event.start_mark)
        name = event.anchor
        if name in self.open_anchors:
            raise FatalYaml(f"alias *{name} refers to its own enclosing node", location)
        if name not in self.anchors:
            raise FatalYaml(f"alias *{name} has no anchor &{name} before it", location)
        value, size = self.anchors[name]
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            raise FatalYaml(
                f"aliases expand to more than {self.limits.max_alias_nodes:,} values "
                "(alias expansion bomb?)",
                location,
            )
        self.count(size, event.start_mark)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, LocDict) and frame.key is None:
            if not isinstance(value, str):
                raise FatalYaml("an alias used as a mapping key must be a string", location)
            frame.key, frame.key_loc, frame.key_raw = value, location, False
            return
        is_scalar = not isinstance(value, (LocDict, LocList))
        variables = self.anchor_variables.get(name, ()) if is_scalar else ()
        self.add(copy.deepcopy(value), location, size, scalar=is_scalar, variables=variables)

    # assembling -----------------------------------------------------------------------
    def add(
        self,
        value: Any,
        location: Location,
        size: int,
        scalar: bool,
        variables: tuple[str, ...] = (),
    ) -> None:
        if not self.stack:
            self.documents.append(value)
            return
        frame = self.stack[-1]
        frame.size += size
        container = frame.value
        if isinstance(container, LocList):
            container.append(value)
            container.item_locs.append(location)
            if variables:
                container.sensitive.add(len(container) - 1)
                container.variables[len(container) - 1] = variables
            return
        key, key_loc = frame.key, frame.key_loc
        frame.key = None
        assert key is not None and key_loc is not None
        if frame.key_raw:
            sources = value if isinstance(value, LocList) else [value]
            for source in sources:
                if not isinstance(source, LocDict):
                    self.problems.append(Problem("'<<' merges only mappings", key_loc))
                    continue
                frame.merges.append(source)
            return
        if key in container:
            first = container.key_locs[key]
            self.problems.append(
                Problem(f"duplicate key '{key}' (first at line {first.line})", key_loc)
            )
        container[key] = value
        container.key_locs[key] = key_loc
        if scalar:
            container.value_locs[key] = location
        container.sensitive.discard(key)
        container.variables.pop(key, None)
        if variables:
            container.sensitive.add(key)
            container.variables[key] = variables

    def apply_merges(self, frame: _Frame) -> None:
        target = frame.value
        assert isinstance(target, LocDict)
        for source in frame.merges:
            for key, value in source.items():
                if key in target:
                    continue
                target[key] = value
                if key in source.key_locs:
                    target.key_locs[key] = source.key_locs[key]
                if key in source.value_locs:
                    target.value_locs[key] = source.value_locs[key]
                if key in source.sensitive:
                    target.sensitive.add(key)
                if key in source.variables:
                    target.variables[key] = source.variables[key]


MAX_NUMBER_CHARS = 100  # longer is a mistake (or an attack on int()), never a real amount


def core_scalar(text: str, location: Location) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if text in NULLS:
        return None
    if text in TRUES:
        return True
    if text in FALSES:
        return False
    if (INT.match(text) or FLOAT.match(text)) and len(text) > MAX_NUMBER_CHARS:
        raise FatalYaml(f"a number of {len(text)} characters is not a price or a count", location)
    if INT.match(text):
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if FLOAT.match(text):
        value = float(text)
        if not math.isfinite(value):
            raise FatalYaml(f"number {text} is out of range", location)
        return value
    if SPECIAL_FLOAT.match(text):
        raise FatalYaml(f"{text} is not a finite number; the API accepts finite numbers", location)
    return text
