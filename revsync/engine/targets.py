"""`--target` and `--exclude`: which changes of a plan to keep, and what to tell the user.

A pattern is `kind/name`, `kind/name#id`, or a `*` wildcard in the name (`products/*`).
Names compare with the kind's own key rules (subscriber emails ignore case). A pattern that
matches no manifest entry and no live object is an error with a did-you-mean: a typo must
never read as "No changes".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .. import kinds
from ..core.problems import Problem
from .order import closure, dependants
from .plan import Change, Refusal

Candidate = tuple[str, str, str | None]  # kind, name, id: what a pattern may name


@dataclass(frozen=True)
class Pattern:
    text: str
    kind: str
    name: str
    ident: str | None = None

    @classmethod
    def parse(cls, text: str) -> Pattern:
        kind, _, rest = text.partition("/")
        name, _, ident = rest.partition("#")
        return cls(text, kind, name, ident or None)

    def matches(self, kind: str, name: str, ident: str | None = None) -> bool:
        if kind != self.kind or kind not in kinds.KINDS:
            return False
        if self.ident is not None and self.ident != ident:
            return False
        if self.name == "*":
            return True
        k = kinds.get(kind)
        mine = "/".join(k.fold(k.parse_name(self.name)))
        theirs = "/".join(k.fold(k.parse_name(name)))
        return fnmatchcase(theirs, mine) if "*" in mine else theirs == mine

    def matches_ignoring_case(self, kind: str, name: str) -> bool:
        """A near miss: the same name but for case (for did-you-mean and for protection)."""
        return kind == self.kind and name.casefold() == self.name.casefold()


def key_parts(key: str) -> Candidate:
    """A change key or refusal address (`kind/name` or `kind/name#id`) as its parts."""
    kind, _, rest = key.partition("/")
    name, _, ident = rest.partition("#")
    return kind, name, ident or None


def unmatched(
    patterns: Sequence[str], candidates: Iterable[Candidate], option: str
) -> list[Problem]:
    """One problem per pattern that names nothing, with the closest names that exist."""
    known = list(candidates)
    problems = []
    for text in patterns:
        pattern = Pattern.parse(text)
        if any(pattern.matches(*c) for c in known):
            continue
        problems.append(
            Problem(
                f"{option} {text} matches nothing in the manifests or in Revenium"
                + _did_you_mean(pattern, known),
                code="target.no-match",
            )
        )
    return problems


def _did_you_mean(pattern: Pattern, known: list[Candidate]) -> str:
    if pattern.kind not in kinds.KINDS:
        near = _closest(pattern.kind, kinds.names())
        if not near:
            return f" (no kind '{pattern.kind}'; kinds: {', '.join(kinds.names())})"
        fixed = Pattern(pattern.text, near, pattern.name, pattern.ident)
        if any(fixed.matches(*c) for c in known):
            return f"; did you mean {_show(fixed)}?"
        return f"; did you mean kind '{near}'?"
    names = sorted({n for k, n, _ in known if k == pattern.kind})
    near = _closest(pattern.name, names)
    if near:
        return f"; did you mean {pattern.kind}/{near}?"
    return f" (no {kinds.get(pattern.kind).title} by that name)"


def _closest(word: str, choices: Iterable[str]) -> str | None:
    """Case differences first, then spelling."""
    choices = list(choices)
    same = [c for c in choices if c.casefold() == word.casefold()]
    if same:
        return same[0]
    folded = {c.casefold(): c for c in choices}
    near = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[near[0]] if near else None


def _show(pattern: Pattern) -> str:
    ident = f"#{pattern.ident}" if pattern.ident else ""
    return f"{pattern.kind}/{pattern.name}{ident}"


@dataclass
class Selection:
    """The changes a targeted plan keeps, and why each one that was not named is there."""

    keep: set[str] = field(default_factory=set)
    added: dict[str, list[str]] = field(default_factory=dict)  # dependency -> who needs it
    excluded: list[str] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=dict)  # dependant -> excluded deps

    def notes(self, targets: Sequence[str], excludes: Sequence[str]) -> list[str]:
        said = []
        parts = []
        if targets:
            parts.append("only " + ", ".join(targets))
        if excludes:
            parts.append("except " + ", ".join(excludes))
        said.append(
            f"Targeting in effect ({'; '.join(parts)}): this plan may not show every "
            "difference between Revenium and the manifests"
        )
        for key, needed_by in sorted(self.added.items()):
            said.append(f"added {key}: a target depends on it ({', '.join(needed_by)})")
        for key, excluded in sorted(self.dropped.items()):
            said.append(f"left out {key}: it depends on excluded {', '.join(excluded)}")
        return said


def select(changes: Sequence[Change], targets: Sequence[str], excludes: Sequence[str]) -> Selection:
    """Targets and their pending dependencies, minus excludes and what depends on them."""
    deps = {c.key: set(c.depends_on) for c in changes}
    chosen = _matching(changes, targets) if targets else set(deps)
    out = Selection()
    keep = closure(chosen, deps)
    for key in sorted(keep - chosen):
        out.added[key] = sorted(t for t in chosen if key in closure({t}, deps))
    excluded = _matching(changes, excludes) & keep
    out.excluded = sorted(excluded)
    gone = set(excluded)
    for key in excluded:
        for dependant in dependants(key, deps) & keep:
            if dependant not in excluded:
                out.dropped.setdefault(dependant, []).append(key)
                gone.add(dependant)
    out.keep = keep - gone
    out.added = {k: v for k, v in out.added.items() if k in out.keep}
    return out


def _matching(changes: Sequence[Change], patterns: Sequence[str]) -> set[str]:
    parsed = [Pattern.parse(p) for p in patterns]
    return {
        c.key
        for c in changes
        if any(p.text == c.key or p.matches(c.kind, c.name, c.live_id) for p in parsed)
    }


def refusals_in_scope(
    refusals: Sequence[Refusal], targets: Sequence[str], excludes: Sequence[str]
) -> list[Refusal]:
    """The refusals a targeted plan must still show: those it would touch."""
    parsed_t = [Pattern.parse(p) for p in targets]
    parsed_x = [Pattern.parse(p) for p in excludes]
    out = []
    for refusal in refusals:
        parts = key_parts(refusal.address)
        if targets and not any(p.matches(*parts) for p in parsed_t):
            continue
        if any(p.matches(*parts) for p in parsed_x):
            continue
        out.append(refusal)
    return out
