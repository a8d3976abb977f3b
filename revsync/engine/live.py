"""Reading the live account: every object of the kinds a plan needs, a page at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .. import kinds
from ..core.ids import safe_id
from ..kinds.base import Account, LiveObject
from ..manifest.model import DesiredState
from .api import Api as ApiClient


@dataclass
class LiveState:
    objects: dict[str, list[LiveObject]] = field(default_factory=dict)
    unsafe: list[LiveObject] = field(default_factory=list)  # ids revsync will not put in a URL
    read_kinds: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[LiveObject]:
        return self.objects.get(kind, [])

    def all(self) -> list[LiveObject]:
        return [o for objs in self.objects.values() for o in objs]

    def fingerprints(self) -> dict[str, str]:
        return {f"{o.kind}:{o.id}": o.fingerprint() for o in self.all()}

    def count(self) -> int:
        return sum(len(v) for v in self.objects.values())


def kinds_to_read(state: DesiredState, prune: bool) -> list[str]:
    """Managed kinds, the kinds they reference, and (when deleting) the kinds referencing them."""
    wanted = set(state.managed_kinds)
    frontier = list(wanted)
    while frontier:
        for ref in kinds.get(frontier.pop()).refs:
            if ref.target not in wanted:
                wanted.add(ref.target)
                frontier.append(ref.target)
    if prune:
        for kind in kinds.KINDS.values():
            if any(ref.target in state.managed_kinds for ref in kind.refs):
                wanted.add(kind.name)
    return [k for k in kinds.names() if k in wanted]


def read_live(client: ApiClient, account: Account, kind_names: list[str]) -> LiveState:
    live = LiveState(read_kinds=list(kind_names))
    with ThreadPoolExecutor(max(1, len(kind_names)), thread_name_prefix="revsync-kind") as pool:
        futures = {
            name: pool.submit(kinds.get(name).read, client.list_all, account) for name in kind_names
        }
        for name, future in futures.items():
            objects = future.result()
            live.objects[name] = [o for o in objects if safe_id(o.id)]
            live.unsafe += [o for o in objects if not safe_id(o.id)]
    return live
