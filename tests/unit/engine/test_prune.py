"""Stage 2, pruning: which live objects no entry matches, and which of them --prune deletes."""

from __future__ import annotations

from revsync.engine.match import match
from revsync.engine.plan import Unmanaged
from revsync.engine.prune import prune

from .builders import desired, entry, live, obj

KEPT = entry("meteringElements", name="tokens", type="NUMBER")
LIVE = live(
    obj("meteringElements", "me1", name="tokens"),
    obj("meteringElements", "me2", name="calls"),
    obj("organizations", "o1", name="Acme"),
    obj("aiModels", "g1", managed=False, origin="GLOBAL", name="gpt-4o", provider="OPENAI"),
)


def _prune(state, enabled: bool):
    return prune(state, LIVE, match(state, LIVE), enabled)


def test_without_prune_nothing_is_doomed_but_the_unmatched_are_listed() -> None:
    out = _prune(desired(KEPT), enabled=False)
    assert out.doomed == {}
    assert out.unmanaged == [Unmanaged("meteringElements", "calls", "me2")]
    assert out.notes == []


def test_with_prune_the_unmatched_objects_of_managed_kinds_are_doomed() -> None:
    out = _prune(desired(KEPT), enabled=True)
    assert list(out.doomed) == [("meteringElements", "me2")]
    assert out.doomed[("meteringElements", "me2")].name == "calls"


def test_kinds_the_manifests_do_not_name_are_never_pruned() -> None:
    out = _prune(desired(KEPT), enabled=True)
    assert ("organizations", "o1") not in out.doomed
    assert all(u.kind == "meteringElements" for u in out.unmanaged)


def test_an_empty_managed_kind_prunes_every_object_of_it() -> None:
    out = _prune(desired(managed=("organizations",)), enabled=True)
    assert list(out.doomed) == [("organizations", "o1")]


def test_protected_objects_are_kept_with_a_note() -> None:
    state = desired(KEPT, protect=("meteringElements/calls",))
    out = _prune(state, enabled=True)
    assert out.doomed == {}
    assert out.notes == ["meteringElements/calls (id me2) is protected: kept"]


def test_global_models_are_never_deleted_nor_listed_as_unmanaged() -> None:
    state = desired(managed=("aiModels",))
    out = _prune(state, enabled=True)
    assert out.doomed == {}
    assert out.unmanaged == []
