"""Stage 3 of planning: references by name become live ids, or placeholders for creates."""

from __future__ import annotations

from typing import Any

from .. import kinds
from ..core import paths
from ..core.desired import DesiredState, Entry
from ..core.live import LiveState
from ..core.problems import Problem
from .match import Binding


class Blocked(Exception):
    """The entry depends on an entry that the plan refuses."""


class Unresolved(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class Names:
    """Live id -> the name revsync uses for it (the manifest's name when it is bound)."""

    def __init__(self) -> None:
        self._index: dict[tuple[str, str], str] = {}

    @classmethod
    def of_account(cls, live: LiveState, state: DesiredState, binding: Binding) -> Names:
        """Every read kind's names at once (a plan adds them a kind at a time)."""
        names = cls()
        for kind in live.objects:
            names.add_kind(kind, live, state, binding)
        return names

    def add_kind(self, kind: str, live: LiveState, state: DesiredState, binding: Binding) -> None:
        """One kind's names, once it is matched."""
        index = self._index
        for obj in live.of(kind):
            index[(kind, obj.id)] = obj.name
        for entry in state.of(kind):
            obj = binding.bound.get(id(entry))
            if obj is not None:
                index[(kind, obj.id)] = entry.name

    def name_of(self, kind: str, ident: str) -> str | None:
        return self._index.get((kind, ident))


class ReferenceResolver:
    """Resolves one entry's references by name, recording what it depends on."""

    def __init__(
        self,
        state: DesiredState,
        live: LiveState,
        binding: Binding,
        doomed: dict[tuple[str, str], Any],
        resolved: dict[tuple[str, str], tuple[str | None, str | None]] | None = None,
    ) -> None:
        self.state = state
        self.live = live
        self.binding = binding
        self.doomed = doomed
        self.deps: set[str] = set()
        self.problems: list[Problem] = []
        # (kind, name) -> (entry depended on, live id): what a name resolved to without a
        # problem, shared by the resolvers of one plan (the binding does not change)
        self.resolved = {} if resolved is None else resolved

    def resolve(self, kind_name: str, name: str, entry: Entry, path: tuple) -> Any:
        try:
            return self._resolve(kind_name, name, entry, path)
        except Unresolved as exc:
            self.problems.append(exc.problem)
            return None

    def _resolve(self, kind_name: str, name: str, entry: Entry, path: tuple) -> Any:
        known = self.resolved.get((kind_name, name))
        if known is not None:
            depends_on, ident = known
            if depends_on is None:
                return ident
            self.deps.add(depends_on)
            return ident if ident is not None else {"$ref": depends_on}
        binding = self.binding
        target = kinds.get(kind_name)
        folded = target.fold(target.parse_name(name))
        matches = binding.entries_by_key[kind_name].get(folded, ())
        if len(matches) == 1:
            other = matches[0]
            other_key = binding.keys[id(other)]
            if id(other) in binding.refused:
                raise Blocked(f"{paths.fmt(path)}: depends on {other_key}, which this plan refuses")
            self.deps.add(other_key)
            bound = binding.bound.get(id(other))
            self.resolved[(kind_name, name)] = (other_key, None if bound is None else bound.id)
            return bound.id if bound is not None else {"$ref": other_key}
        live = binding.live_by_key[kind_name].get(folded, ())
        if len(live) == 1 and not matches and (kind_name, live[0].id) not in self.doomed:
            self.resolved[(kind_name, name)] = (None, live[0].id)
            return live[0].id  # the common case: labels and locations only for problems
        label = paths.fmt(path)
        where = entry.where(path)
        if len(matches) > 1 or len(live) > 1:
            ids = ", ".join(o.id for o in live) or "several manifest entries"
            raise Unresolved(
                Problem(
                    f"{label}: {target.title} '{name}' is ambiguous ({ids}); refer to it by id",
                    where,
                    entry.address,
                    code="ref.ambiguous",
                )
            )
        if len(live) == 1:
            obj = live[0]
            if (kind_name, obj.id) in self.doomed:
                raise Unresolved(
                    Problem(
                        f"{label}: {target.title} '{name}' is not in the manifests, so --prune "
                        "would delete it; add it to the manifests or to settings.protect",
                        where,
                        entry.address,
                        code="ref.pruned",
                    )
                )
            return obj.id
        raise Unresolved(self._unknown(target, kind_name, name, label, entry, where))

    def _unknown(self, target, kind_name, name, label, entry, where) -> Problem:
        known = sorted(
            {e.name for e in self.state.of(kind_name)} | {o.name for o in self.live.of(kind_name)}
        )
        shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
        return Problem(
            f"{label}: {target.title} '{name}' exists neither in the manifests nor in "
            f"Revenium" + (f" (known: {shown})" if known else f" (no {kind_name} at all)"),
            where,
            entry.address,
            code="ref.unknown",
        )
