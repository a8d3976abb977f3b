"""--target / --exclude selection and did-you-mean, on plain plan values."""

from __future__ import annotations

from revsync.engine.plan import Change, Refusal
from revsync.engine.targets import Pattern, refusals_in_scope, select, unmatched


def change(key: str, action: str = "create", deps: tuple[str, ...] = (), live_id=None) -> Change:
    kind, _, name = key.partition("/")
    return Change(key, action, kind, name.split("#")[0], live_id, depends_on=list(deps))


CHANGES = [
    change("organizations/Acme"),
    change("subscribers/Ops@Acme.example", deps=("organizations/Acme",)),
    change("products/Pro"),
    change("products/Team"),
    change(
        "subscriptions/s1",
        deps=("products/Pro", "subscribers/Ops@Acme.example"),
    ),
]


def test_patterns_use_the_kinds_key_rules() -> None:
    assert Pattern.parse("subscribers/OPS@acme.EXAMPLE").matches("subscribers", "ops@acme.example")
    assert not Pattern.parse("products/pro").matches("products", "Pro")
    assert Pattern.parse("products/*").matches("products", "anything")
    assert Pattern.parse("products/Pro*").matches("products", "Pro Plus")
    assert Pattern.parse("aiModels/gpt-4o/OPENAI").matches("aiModels", "gpt-4o/OPENAI")
    assert Pattern.parse("products/Pro#abc").matches("products", "Pro", "abc")
    assert not Pattern.parse("products/Pro#abc").matches("products", "Pro", "xyz")
    assert not Pattern.parse("product/Pro").matches("product", "Pro")


def test_a_target_keeps_its_pending_dependencies_and_names_them() -> None:
    chosen = select(CHANGES, ["subscriptions/s1"], [])
    assert chosen.keep == {
        "subscriptions/s1",
        "products/Pro",
        "subscribers/Ops@Acme.example",
        "organizations/Acme",
    }
    assert chosen.added["organizations/Acme"] == ["subscriptions/s1"]
    notes = chosen.notes(["subscriptions/s1"], [])
    assert notes[0].startswith("Targeting in effect (only subscriptions/s1)")
    assert "added products/Pro: a target depends on it (subscriptions/s1)" in notes


def test_exclude_drops_what_depends_on_the_excluded() -> None:
    chosen = select(CHANGES, [], ["organizations/*"])
    assert chosen.keep == {"products/Pro", "products/Team"}
    assert chosen.dropped == {
        "subscribers/Ops@Acme.example": ["organizations/Acme"],
        "subscriptions/s1": ["organizations/Acme"],
    }


def test_unmatched_targets_say_what_was_meant() -> None:
    known = [("products", "Pro", None), ("subscribers", "Ops@Acme.example", "x1")]
    found = [
        str(p)
        for p in unmatched(["product/Pro", "products/Pri", "products/pro"], known, "--target")
    ]
    assert "did you mean products/Pro?" in found[0]
    assert "did you mean products/Pro?" in found[1]
    assert "did you mean products/Pro?" in found[2]
    assert unmatched(["subscribers/ops@acme.example", "products/*"], known, "--target") == []
    assert "no kind 'nothing'" in str(unmatched(["nothing/x"], known, "--target")[0])


def test_refusals_in_scope_follow_targets_and_excludes() -> None:
    refusals = [Refusal("products/Twin#a", "ambiguous"), Refusal("organizations/X", "cycle")]
    assert [r.address for r in refusals_in_scope(refusals, ["products/Twin"], [])] == [
        "products/Twin#a"
    ]
    assert [r.address for r in refusals_in_scope(refusals, [], ["products/*"])] == [
        "organizations/X"
    ]
