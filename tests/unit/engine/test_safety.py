"""Stage 4, safety: a plan may not delete (or, if asked, update) too much of a kind at once."""

from __future__ import annotations

from revsync.engine.plan import Change
from revsync.engine.safety import Breach, SafetyPolicy

from .builders import live, obj


def _elements(n: int, managed: bool = True):
    return [obj("meteringElements", f"me{i}", managed=managed, name=f"e{i}") for i in range(n)]


def _changes(action: str, n: int, kind: str = "meteringElements") -> list[Change]:
    return [Change(f"{kind}/e{i}", action, kind, f"e{i}") for i in range(n)]


def test_deleting_more_than_the_share_of_ten_or_more_objects_is_refused() -> None:
    [breach] = SafetyPolicy().check(_changes("delete", 4), live(*_elements(10)))
    assert breach == Breach("delete", "meteringElements", 4, 10, 30.0, "maxDeletePercent")
    assert breach.describe() == (
        "refusing to delete 4 of 10 meteringElements (40% > maxDeletePercent 30%)"
    )


def test_exactly_the_share_is_allowed() -> None:
    assert SafetyPolicy().check(_changes("delete", 3), live(*_elements(10))) == []


def test_below_ten_objects_any_share_may_go() -> None:
    assert SafetyPolicy().check(_changes("delete", 9), live(*_elements(9))) == []


def test_the_minimum_is_a_setting_of_the_policy() -> None:
    policy = SafetyPolicy(min_existing=2)
    assert [b.count for b in policy.check(_changes("delete", 2), live(*_elements(3)))] == [2]


def test_objects_revsync_never_manages_do_not_count() -> None:
    now = live(*_elements(5), *_elements(20, managed=False)[5:])
    assert SafetyPolicy().check(_changes("delete", 5), now) == []


def test_each_kind_is_judged_on_its_own() -> None:
    orgs = [obj("organizations", f"o{i}", name=f"o{i}") for i in range(10)]
    changes = _changes("delete", 2) + _changes("delete", 5, "organizations")
    breaches = SafetyPolicy().check(changes, live(*_elements(10), *orgs))
    assert [(b.kind, b.count) for b in breaches] == [("organizations", 5)]


def test_updates_are_unbounded_by_default() -> None:
    assert SafetyPolicy().check(_changes("update", 10), live(*_elements(10))) == []


def test_the_update_threshold_refuses_mass_updates_once_set() -> None:
    policy = SafetyPolicy(max_update_percent=50)
    [breach] = policy.check(_changes("update", 6), live(*_elements(10)))
    assert (breach.action, breach.setting, breach.limit) == ("update", "maxUpdatePercent", 50)
    assert breach.describe() == (
        "refusing to update 6 of 10 meteringElements (60% > maxUpdatePercent 50%)"
    )
    assert policy.check(_changes("update", 5), live(*_elements(10))) == []


def test_creates_are_never_bounded() -> None:
    policy = SafetyPolicy(max_delete_percent=0, max_update_percent=0)
    assert policy.check(_changes("create", 50), live(*_elements(10))) == []
