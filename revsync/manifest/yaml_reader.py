"""Safe YAML reading that keeps file, line and column on every mapping and sequence.

Built on PyYAML's event stream (not its recursive composer), so nesting depth, alias
expansion and document size are bounded by us: hostile input gets a clear error, never a
hang, a crash or a traceback. Scalars follow the YAML 1.2 core schema: `yes`, `no`, `on`
and `off` are strings, and dates stay strings, as the Revenium API wants them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.location import COL_BITS, POS_BITS, Location, LocDict, LocList, pos, unpack
from ..core.problems import Problem
from .interpolate import interpolate, is_whole_reference
from .scalars import KEY_TAGS, TAG, FatalYaml, core_scalar, plain_scalar

Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 32 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 2_000_000  # values in a file, alias expansion included
    max_alias_nodes: int = 50_000  # values copied in by aliases


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
    __slots__ = ("anchor", "is_map", "key", "key_pos", "key_raw", "merges", "size", "value")

    def __init__(self, value: LocDict | LocList, anchor: str | None) -> None:
        self.value = value
        self.is_map = isinstance(value, LocDict)
        self.anchor = anchor
        self.size = 1
        self.key: str | None = None  # of a mapping: the key whose value comes next
        self.key_pos = 0
        self.key_raw = False
        self.merges: list[LocDict] = []


def _pos(mark: Any) -> int:
    return pos(mark.line + 1, mark.column + 1)


class _Builder:
    """Builds LocDicts and LocLists from the event stream, one event at a time.

    This runs for every key and value of every manifest (over a million at 100,000
    objects), so events are dispatched by class and plain scalars take a short path."""

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
        self.max_nodes = limits.max_nodes
        self.stack: list[_Frame] = []
        self.top: _Frame | None = None  # stack[-1]
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.anchor_variables: dict[str, tuple[str, ...]] = {}  # of scalar anchors
        self.documents: list[Any] = []
        self.problems: list[Problem] = []
        self.nodes = 0
        self.alias_nodes = 0
        self.keys: dict[str, str] = {}
        self.handlers = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.mapping_start,
            yaml.SequenceStartEvent: self.sequence_start,
            yaml.MappingEndEvent: self.end,
            yaml.SequenceEndEvent: self.end,
            yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.document_start,
        }

    def loc(self, mark: Any) -> Location:
        return Location(self.display, mark.line + 1, mark.column + 1)

    def run(self, text: str) -> None:
        try:
            self.events(text)
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

    def events(self, text: str) -> None:
        parser = Parser(text)
        try:
            next_event = parser.get_event
            handlers = self.handlers
            ignore = _ignore
            scalar, scalar_event = self.scalar, yaml.ScalarEvent
            while True:
                event = next_event()
                kind = event.__class__
                if kind is scalar_event:
                    scalar(event)
                elif event is None or kind is yaml.StreamEndEvent:
                    return
                else:
                    handlers.get(kind, ignore)(event)
        finally:
            parser.dispose()

    # events ---------------------------------------------------------------------------
    def document_start(self, event: Any) -> None:
        self.anchors.clear()

    def mapping_start(self, event: Any) -> None:
        self.check_tag(event, "map")
        self.push(LocDict(), event)

    def sequence_start(self, event: Any) -> None:
        self.check_tag(event, "seq")
        self.push(LocList(), event)

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        self.top = self.stack[-1] if self.stack else None
        if frame.merges:
            self.apply_merges(frame)
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.value, frame.size)
        value = frame.value
        if value.env is not None:
            self.mark_env()
        self.add(value, value.pos, frame.size, scalar=False)

    def push(self, container: LocDict | LocList, event: Any) -> None:
        mark = event.start_mark
        if len(self.stack) >= self.limits.max_depth:
            raise FatalYaml(f"nested deeper than {self.limits.max_depth} levels", self.loc(mark))
        self.count(1, mark)
        parent = self.top
        if parent is not None and parent.is_map and parent.key is None:
            raise FatalYaml(
                "a key must be plain text, not a mapping or a list ('? ...' complex keys)",
                self.loc(mark),
            )
        container.file = self.display
        container.pos = _pos(mark)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.top = _Frame(container, event.anchor)
        self.stack.append(self.top)

    def count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > self.max_nodes:
            raise FatalYaml(
                f"document expands to more than {self.max_nodes:,} values (alias expansion bomb?)",
                self.loc(mark),
            )

    def check_tag(self, event: Any, expected: str) -> None:
        tag = event.tag
        if tag not in (None, "!", TAG + expected):
            raise FatalYaml(f"unsupported YAML tag {tag!r}", self.loc(event.start_mark))

    def scalar(self, event: Any) -> None:
        """A key, or a value; a plain value into a mapping (most of them) goes straight in."""
        mark = event.start_mark
        self.nodes += 1
        if self.nodes > self.max_nodes:
            self.count(0, mark)
        frame = self.top
        raw = event.value
        tag = event.tag
        position = (mark.line + 1) << COL_BITS | (mark.column + 1)  # location.pos, inlined
        if frame is not None and frame.is_map and frame.key is None:
            if tag is not None and tag not in KEY_TAGS:
                raise FatalYaml(f"unsupported tag on a mapping key: {tag!r}", self.loc(mark))
            frame.key = self.keys.setdefault(raw, raw)  # one string per distinct key
            frame.key_pos = position
            frame.key_raw = raw == "<<" and not event.style
            return
        if tag is not None or "$" in raw or event.anchor:
            self.rich_scalar(event)
            return
        value = raw if event.style else plain_scalar(raw, self.display, mark)
        if frame is None or not frame.is_map or frame.key_raw:
            self.add(value, position, 1)
            return
        key = frame.key
        container = frame.value
        if key in container or container.env:
            self.add(value, position, 1)  # a duplicate, or a container with variables
            return
        frame.key = None
        frame.size += 1
        container[key] = value
        container.at[key] = frame.key_pos << POS_BITS | position

    def rich_scalar(self, event: Any) -> None:
        """A scalar with a tag, an anchor or a `${VAR}` reference."""
        location = self.loc(event.start_mark)
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
        if variables:
            self.mark_env()
        self.add(value, pos(location.line, location.col), 1, variables)

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
        frame = self.top
        if frame is not None and frame.is_map and frame.key is None:
            if not isinstance(value, str):
                raise FatalYaml("an alias used as a mapping key must be a string", location)
            frame.key, frame.key_pos, frame.key_raw = value, _pos(event.start_mark), False
            return
        is_container = isinstance(value, (LocDict, LocList))
        variables = () if is_container else self.anchor_variables.get(name, ())
        if variables or (is_container and value.env is not None):
            self.mark_env()
        position = pos(location.line, location.col)
        self.add(copy.deepcopy(value), position, size, variables, scalar=not is_container)

    # assembling -----------------------------------------------------------------------
    def mark_env(self) -> None:
        """Something from the environment goes into the open containers: say so on each,
        so that finding it later need not walk the containers that have none."""
        for frame in self.stack:
            frame.value.mark_env_below()

    def add(
        self,
        value: Any,
        position: int,
        size: int,
        variables: tuple[str, ...] = (),
        scalar: bool = True,
    ) -> None:
        """Put a finished value into the open container. In a mapping, a mapping or list
        value is located by its key, not by `position`."""
        frame = self.top
        if frame is None:
            self.documents.append(value)
            return
        frame.size += size
        container = frame.value
        if not frame.is_map:
            container.append(value)
            container.at.append(position)
            if variables:
                container.set_variables(len(container) - 1, variables)
            return
        key = frame.key
        frame.key = None
        if frame.key_raw:
            self.take_merge(frame, value)
            return
        at = container.at
        if key in container:
            first = container.key_loc(key)
            self.problems.append(
                Problem(
                    f"duplicate key '{key}' (first at line {first.line})",
                    unpack(self.display, frame.key_pos),
                )
            )
        container[key] = value
        at[key] = frame.key_pos << POS_BITS | (position if scalar else 0)
        if variables or container.env:
            container.set_variables(key, variables)

    def take_merge(self, frame: _Frame, value: Any) -> None:
        for source in value if isinstance(value, LocList) else [value]:
            if isinstance(source, LocDict):
                frame.merges.append(source)
            else:
                where = unpack(self.display, frame.key_pos)
                self.problems.append(Problem("'<<' merges only mappings", where))

    def apply_merges(self, frame: _Frame) -> None:
        target = frame.value
        assert isinstance(target, LocDict)
        for source in frame.merges:
            for key, value in source.items():
                if key in target:
                    continue
                target[key] = value
                if key in source.at:
                    target.at[key] = source.at[key]
                target.set_variables(key, source.variables_of(key))
            if source.env is not None:
                target.mark_env_below()


def _ignore(event: Any) -> None:
    """Stream and document boundaries carry nothing to build."""
