"""Dependency graphs of a plan (or of the manifests) as Mermaid and Graphviz DOT.

An arrow goes from what happens first to what waits for it (apply order)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import kinds
from ..core import paths
from ..core.desired import DesiredState
from ..engine.plan import Plan
from .escape import plain

SIGNS = {"create": "+", "update": "~", "delete": "-"}
STYLES = {"create": "fill:#d4f8d4", "update": "fill:#fff3c4", "delete": "fill:#ffd6d6"}


@dataclass
class Graph:
    """Nodes (key -> label, action) and edges (before, after)."""

    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)


def plan_graph(plan: Plan) -> Graph:
    graph = Graph()
    for change in plan.changes:
        graph.nodes[change.key] = (f"{SIGNS[change.action]} {change.address}", change.action)
    for change in plan.changes:
        for before in change.depends_on:
            if before in graph.nodes:
                graph.edges.append((before, change.key))
    return graph


def _mermaid_label(text: str) -> str:
    """Mermaid entity codes (`#35;`) for everything but letters, digits and a few signs."""
    return re.sub(r"[^\w /.@+~-]", lambda m: f"#{ord(m.group())};", plain(text))


def mermaid(graph: Graph) -> str:
    ids = {key: f"n{i}" for i, key in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for key, (label, _) in graph.nodes.items():
        lines.append(f'  {ids[key]}["{_mermaid_label(label)}"]')
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in graph.edges]
    for action, style in STYLES.items():
        members = [ids[k] for k, (_, a) in graph.nodes.items() if a == action]
        if members:
            lines += [f"  classDef {action} {style}", f"  class {','.join(members)} {action}"]
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + plain(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(graph: Graph) -> str:
    colors = {"create": "palegreen", "update": "lightgoldenrod1", "delete": "lightpink"}
    lines = ["digraph revsync {", "  rankdir=LR;", "  node [shape=box, style=filled];"]
    for key, (label, action) in graph.nodes.items():
        color = colors.get(action, "white")
        lines.append(f"  {_dot_string(key)} [label={_dot_string(label)}, fillcolor={color}];")
    lines += [f"  {_dot_string(a)} -> {_dot_string(b)};" for a, b in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def manifest_graph(state: DesiredState) -> Graph:
    """Every entry and the references between them, read offline from the manifests."""
    graph = Graph()
    by_name: dict[tuple[str, str], str] = {}
    for entry in state.all():
        graph.nodes[entry.address] = (entry.address, "")
        by_name[(entry.kind, entry.name.casefold())] = entry.address
    for entry in state.all():
        for ref in kinds.get(entry.kind).refs:
            for container in paths.mappings(entry.fields, ref.container):
                value = container.get(ref.field)
                for name in value if isinstance(value, list) else [value]:
                    target = by_name.get((ref.target, str(name).casefold()))
                    if isinstance(name, str) and target and target != entry.address:
                        graph.edges.append((target, entry.address))
    graph.edges = sorted(set(graph.edges), key=graph.edges.index)
    return graph
