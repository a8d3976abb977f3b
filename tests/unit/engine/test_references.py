"""Stage 3, references: a name becomes a live id, a placeholder for a create, or a problem."""

from __future__ import annotations

import pytest

from revsync.core.desired import DesiredState
from revsync.core.live import LiveState
from revsync.engine.match import match
from revsync.engine.prune import prune
from revsync.engine.references import Blocked, Names, ReferenceResolver

from .builders import desired, entry, live, obj

PATH = ("plan", "elements", 0, "element")


def _resolver(state: DesiredState, now: LiveState, doom: bool = False) -> ReferenceResolver:
    binding = match(state, now)
    doomed = prune(state, now, binding, doom).doomed
    return ReferenceResolver(state, now, binding, doomed)


def _product(element: str):
    return entry("products", name="Pro", plan={"elements": [{"element": element}]})


def test_a_manifest_entry_bound_to_a_live_object_resolves_to_its_id() -> None:
    product = _product("tokens")
    state = desired(product, entry("meteringElements", name="tokens", type="NUMBER"))
    resolver = _resolver(state, live(obj("meteringElements", "me1", name="tokens")))
    assert resolver.resolve("meteringElements", "tokens", product, PATH) == "me1"
    assert resolver.deps == {"meteringElements/tokens"}
    assert resolver.problems == []


def test_an_entry_this_plan_creates_resolves_to_a_placeholder() -> None:
    product = _product("tokens")
    state = desired(product, entry("meteringElements", name="tokens", type="NUMBER"))
    resolver = _resolver(state, live())
    assert resolver.resolve("meteringElements", "tokens", product, PATH) == {
        "$ref": "meteringElements/tokens"
    }
    assert resolver.deps == {"meteringElements/tokens"}


def test_a_live_object_outside_the_manifests_resolves_without_a_dependency() -> None:
    product = _product("tokens")
    resolver = _resolver(desired(product), live(obj("meteringElements", "me1", name="tokens")))
    assert resolver.resolve("meteringElements", "tokens", product, PATH) == "me1"
    assert resolver.deps == set()


def test_names_fold_as_the_target_kind_says() -> None:
    sub = entry("subscriptions", name="s", product="Pro", subscriber="OPS@acme.example")
    resolver = _resolver(desired(sub), live(obj("subscribers", "u1", email="ops@ACME.example")))
    assert resolver.resolve("subscribers", "OPS@acme.example", sub, ("subscriber",)) == "u1"


def test_two_live_objects_of_one_name_are_ambiguous() -> None:
    product = _product("tokens")
    twins = [obj("meteringElements", i, name="tokens") for i in ("me1", "me2")]
    resolver = _resolver(desired(product), live(*twins))
    assert resolver.resolve("meteringElements", "tokens", product, PATH) is None
    [problem] = resolver.problems
    assert problem.code == "ref.ambiguous"
    assert "plan.elements[0].element: metering element 'tokens' is ambiguous (me1, me2)" in str(
        problem
    )
    assert problem.address == "products/Pro"


def test_an_unknown_name_is_a_problem_that_lists_the_known_names() -> None:
    product = _product("tokenz")
    state = desired(product, entry("meteringElements", name="calls", type="NUMBER"))
    resolver = _resolver(state, live(obj("meteringElements", "me1", name="tokens")))
    assert resolver.resolve("meteringElements", "tokenz", product, PATH) is None
    [problem] = resolver.problems
    assert problem.code == "ref.unknown"
    assert "exists neither in the manifests nor in Revenium (known: calls, tokens)" in (
        problem.message
    )


def test_an_unknown_name_of_an_empty_kind_says_so() -> None:
    product = _product("tokens")
    resolver = _resolver(desired(product), live())
    resolver.resolve("meteringElements", "tokens", product, PATH)
    assert "(no meteringElements at all)" in resolver.problems[0].message


def test_a_reference_to_an_object_prune_deletes_is_a_problem() -> None:
    product = _product("tokens")
    state = desired(product, managed=("meteringElements",))
    resolver = _resolver(state, live(obj("meteringElements", "me1", name="tokens")), doom=True)
    assert resolver.resolve("meteringElements", "tokens", product, PATH) is None
    assert resolver.problems[0].code == "ref.pruned"
    assert "--prune would delete it" in resolver.problems[0].message


def test_a_reference_to_a_refused_entry_blocks_the_referrer() -> None:
    product = _product("tokens")
    state = desired(product, entry("meteringElements", name="tokens", type="NUMBER"))
    twins = [obj("meteringElements", i, name="tokens") for i in ("me1", "me2")]
    resolver = _resolver(state, live(*twins))
    with pytest.raises(Blocked, match="depends on meteringElements/tokens, which this plan"):
        resolver.resolve("meteringElements", "tokens", product, PATH)


def test_names_prefer_the_manifest_spelling_of_a_bound_object() -> None:
    state = desired(entry("subscribers", email="Ops@Acme.Example"))
    now = live(
        obj("subscribers", "u1", email="ops@acme.example"), obj("organizations", "o1", name="A")
    )
    names = Names.of_account(now, state, match(state, now))
    assert names.name_of("subscribers", "u1") == "Ops@Acme.Example"
    assert names.name_of("organizations", "o1") == "A"
    assert names.name_of("organizations", "nope") is None
