"""Stage 5, ordering: what waits for what, a cycle refused, and nothing silently dropped."""

from __future__ import annotations

from revsync.engine import order
from revsync.engine.plan import Change

from .builders import live, obj


def _change(key: str, action: str = "create", live_id: str | None = None) -> Change:
    kind, _, name = key.partition("/")
    return Change(key, action, kind, name.split("#")[0], live_id=live_id, source=f"m.yaml:{key}")


def _plan(*changes: Change) -> dict[str, Change]:
    return {c.key: c for c in changes}


def test_dependencies_become_sorted_depends_on_within_the_plan() -> None:
    changes = _plan(_change("products/Pro"), _change("meteringElements/a"), _change("x/y"))
    deps = {"products/Pro": {"x/y", "meteringElements/a", "not/in-plan", "products/Pro"}}
    assert order.order(changes, deps) == []
    assert changes["products/Pro"].depends_on == ["meteringElements/a", "x/y"]
    assert changes["x/y"].depends_on == []


def test_a_cycle_is_refused_and_removed_never_broken_silently() -> None:
    changes = _plan(_change("organizations/a"), _change("organizations/b"), _change("x/free"))
    deps = {"organizations/a": {"organizations/b"}, "organizations/b": {"organizations/a"}}
    refusals = order.order(changes, deps)
    assert sorted(r.address for r in refusals) == ["organizations/a", "organizations/b"]
    assert all("dependency cycle" in r.reason for r in refusals)
    assert refusals[0].source.startswith("m.yaml:organizations/")
    assert list(changes) == ["x/free"]


def test_what_depends_on_a_cycle_is_refused_too() -> None:
    changes = _plan(_change("o/a"), _change("o/b"), _change("s/needs-a"), _change("s/needs-that"))
    deps = {"o/a": {"o/b"}, "o/b": {"o/a"}, "s/needs-a": {"o/a"}, "s/needs-that": {"s/needs-a"}}
    refusals = {r.address: r.reason for r in order.order(changes, deps)}
    assert set(refusals) == {"o/a", "o/b", "s/needs-a", "s/needs-that"}
    assert refusals["s/needs-a"] == "depends on o/a, which this plan refuses"
    assert refusals["s/needs-that"] == "depends on s/needs-a, which this plan refuses"
    assert changes == {}


def test_a_delete_waits_for_the_change_of_every_live_referrer() -> None:
    now = live(
        obj("products", "p1", name="Old"),
        obj("subscriptions", "s1", name="sub", product={"id": "p1"}),
        obj("subscriptions", "s2", name="untouched", product={"id": "p1"}),
    )
    changes = _plan(
        _change("products/Old#p1", "delete", "p1"),
        _change("subscriptions/sub", "update", "s1"),
    )
    deps: dict[str, set[str]] = {k: set() for k in changes}
    order.delete_edges(changes, deps, now)
    assert deps["products/Old#p1"] == {"subscriptions/sub"}
    assert changes["products/Old#p1"].notes == [
        "still referenced by subscriptions/untouched (id s2), which this plan does not "
        "change: Revenium may refuse the delete"
    ]


def test_a_delete_waits_for_referrers_that_name_it_by_key() -> None:
    now = live(
        obj("subscribers", "u1", email="Ops@Acme.example"),
        obj("subscriptions", "s1", name="sub", client={"label": "ops@acme.EXAMPLE"}),
    )
    changes = _plan(
        _change("subscribers/Ops@Acme.example#u1", "delete", "u1"),
        _change("subscriptions/sub#s1", "delete", "s1"),
    )
    deps: dict[str, set[str]] = {k: set() for k in changes}
    order.delete_edges(changes, deps, now)
    assert deps["subscribers/Ops@Acme.example#u1"] == {"subscriptions/sub#s1"}
    assert order.order(changes, deps) == []


def test_an_object_referring_to_itself_does_not_hold_up_its_delete() -> None:
    now = live(obj("organizations", "o1", name="loop", parent={"id": "o1"}))
    changes = _plan(_change("organizations/loop#o1", "delete", "o1"))
    deps: dict[str, set[str]] = {k: set() for k in changes}
    order.delete_edges(changes, deps, now)
    assert deps == {"organizations/loop#o1": set()} and changes["organizations/loop#o1"].notes == []


def test_plans_read_in_kind_order_then_by_name() -> None:
    changes = _plan(
        _change("subscriptions/a"),
        _change("products/b"),
        _change("products/a"),
        _change("meteringElements/z"),
    )
    shown = [c.key for c in order.display_order(changes)]
    assert shown.index("meteringElements/z") < shown.index("products/a") < shown.index("products/b")
    assert shown.index("products/b") < shown.index("subscriptions/a")


def test_closure_and_dependants_follow_edges_transitively() -> None:
    deps = {"c": {"b"}, "b": {"a"}, "a": set(), "x": set()}
    assert order.closure({"c"}, deps) == {"a", "b", "c"}
    assert order.dependants("a", deps) == {"b", "c"}
    assert order.dependants("x", deps) == set()
