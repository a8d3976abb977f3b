"""--prune never plans a delete that Revenium refuses (409) because a kept object uses it.

Found by the convergence property test: a source kept by the manifests, whose entry leaves
`meteringElements` out (so the update keeps the live ids), still used an element that the
manifests no longer listed; the plan deleted the element and apply failed with 409.
"""

from __future__ import annotations

from revsync.engine.planner import PlanOptions, PlanResult, make_plan

from .builders import ACCOUNT, API_URL, desired, elements, entry, live, obj

TAG = "managed-by:revsync"


def _plan(state, now) -> PlanResult:
    return make_plan(state, now, ACCOUNT, API_URL, PlanOptions(prune=True, allow_mass_delete=True))


def _source(ident: str, name: str, *element_ids: str, tagged: bool = True):
    return obj(
        "sources",
        ident,
        name=name,
        type="API",
        tags=[TAG] if tagged else [],
        meteringElementDefinitions=[{"id": e} for e in element_ids],
    )


def _deletes(result: PlanResult) -> list[str]:
    return [c.key for c in result.plan.changes if c.action == "delete"]


def test_a_kept_source_whose_entry_omits_its_elements_keeps_the_element_it_uses() -> None:
    state = desired(entry("sources", name="feed", type="API"), managed=("meteringElements",))
    now = live(*elements("tokens"), _source("s1", "feed", "me1"))
    result = _plan(state, now)
    assert result.problems == []
    assert _deletes(result) == []
    assert (
        "meteringElements/tokens (id me1) is kept: sources/feed (id s1) still uses it, and its "
        "entry leaves meteringElements as Revenium has it (not set, or empty); set "
        "meteringElements without 'tokens' to delete it"
    ) in result.plan.notes


def test_an_empty_element_list_sets_nothing_so_the_element_is_kept_too() -> None:
    state = desired(
        entry("sources", name="feed", type="API", meteringElements=[]),
        managed=("meteringElements",),
    )
    now = live(*elements("tokens"), _source("s1", "feed", "me1"))
    result = _plan(state, now)
    assert _deletes(result) == []
    assert any(n.startswith("meteringElements/tokens (id me1) is kept") for n in result.plan.notes)


def test_a_source_entry_that_drops_the_element_updates_the_source_before_the_delete() -> None:
    state = desired(
        entry("meteringElements", name="calls", type="NUMBER"),
        entry("sources", name="feed", type="API", meteringElements=["calls"]),
    )
    now = live(*elements("tokens", "calls"), _source("s1", "feed", "me1", "me2"))
    result = _plan(state, now)
    assert result.problems == []
    by_key = {c.key: c for c in result.plan.changes}
    assert by_key["sources/feed"].action == "update"
    assert by_key["meteringElements/tokens#me1"].depends_on == ["sources/feed"]


def test_a_product_entry_with_empty_sources_clears_them_before_the_source_is_deleted() -> None:
    state = desired(entry("products", name="Pro", sources=[]), managed=("sources",))
    now = live(obj("products", "p1", name="Pro", sources=[{"id": "s1"}]), _source("s1", "feed"))
    result = _plan(state, now)
    by_key = {c.key: c for c in result.plan.changes}
    assert by_key["products/Pro"].action == "update"
    assert by_key["sources/feed#s1"].depends_on == ["products/Pro"]


def test_a_source_revsync_never_prunes_keeps_the_element_it_uses() -> None:
    state = desired(managed=("meteringElements", "sources"))
    now = live(*elements("tokens", "spare"), _source("s1", "found", "me1", tagged=False))
    result = _plan(state, now)
    assert _deletes(result) == ["meteringElements/spare#me2"]
    assert (
        "meteringElements/tokens (id me1) is kept: sources/found (id s1) still uses it, and "
        "this plan does not delete that (Revenium refuses the delete)"
    ) in result.plan.notes


def test_a_protected_object_keeps_what_it_uses_all_the_way_down() -> None:
    state = desired(
        managed=("meteringElements", "products", "subscriptions"),
        protect=("subscriptions/keep",),
    )
    now = live(
        *elements("tokens"),
        obj("products", "p1", name="Pro", plan={"elements": [{"elementDefinitionId": "me1"}]}),
        obj("subscriptions", "u1", name="keep", product={"id": "p1"}, client={"label": "a@b.c"}),
    )
    result = _plan(state, now)
    assert _deletes(result) == []
    notes = "\n".join(result.plan.notes)
    assert "products/Pro (id p1) is kept: subscriptions/keep (id u1) still uses it" in notes
    assert "meteringElements/tokens (id me1) is kept: products/Pro (id p1) still uses it" in notes


def test_a_kept_product_whose_entry_omits_sources_keeps_the_source_it_lists() -> None:
    state = desired(entry("products", name="Pro"), managed=("sources",))
    now = live(
        obj("products", "p1", name="Pro", sources=[{"id": "s1"}]),
        _source("s1", "feed"),
    )
    result = _plan(state, now)
    assert _deletes(result) == []
    assert (
        "sources/feed (id s1) is kept: products/Pro (id p1) still uses it, and its entry "
        "leaves sources as Revenium has it (not set, or empty); set sources without "
        "'feed' to delete it"
    ) in result.plan.notes


def test_objects_deleted_together_are_still_deleted_referrer_first() -> None:
    state = desired(managed=("meteringElements", "sources"))
    now = live(*elements("tokens"), _source("s1", "feed", "me1"))
    result = _plan(state, now)
    assert sorted(_deletes(result)) == ["meteringElements/tokens#me1", "sources/feed#s1"]
    [element] = [c for c in result.plan.changes if c.kind == "meteringElements"]
    assert element.depends_on == ["sources/feed#s1"]


def test_an_object_of_a_kind_the_manifests_do_not_manage_keeps_what_it_uses() -> None:
    state = desired(managed=("meteringElements",))
    now = live(
        *elements("tokens"),
        obj("products", "p1", name="Pro", plan={"elements": [{"elementDefinitionId": "me1"}]}),
    )
    result = _plan(state, now)
    assert _deletes(result) == []
    assert (
        "meteringElements/tokens (id me1) is kept: products/Pro (id p1) still uses it, and "
        "this plan does not delete that (Revenium refuses the delete)"
    ) in result.plan.notes
