"""Stage 1, matching: which live object each manifest entry is, or why none may be."""

from __future__ import annotations

from revsync.engine.match import entry_keys, match

from .builders import desired, entry, live, obj


def test_an_entry_binds_the_live_object_with_its_key() -> None:
    tokens = entry("meteringElements", name="tokens", type="NUMBER")
    calls = entry("meteringElements", name="calls", type="NUMBER")
    other = obj("meteringElements", "me1", name="tokens", type="NUMBER")
    binding = match(desired(tokens, calls), live(other, obj("meteringElements", "me2", name="x")))
    assert binding.bound == {id(tokens): other}
    assert binding.bound_ids == {("meteringElements", "me1"): tokens}
    assert not binding.refused


def test_keys_that_ignore_case_bind_across_case() -> None:
    wanted = entry("subscribers", email="Ops@Acme.Example")
    found = obj("subscribers", "s1", email="ops@acme.example")
    binding = match(desired(wanted), live(found))
    assert binding.bound[id(wanted)] is found


def test_case_matters_for_other_keys() -> None:
    wanted = entry("meteringElements", name="Tokens", type="NUMBER")
    binding = match(desired(wanted), live(obj("meteringElements", "me1", name="tokens")))
    assert not binding.bound and not binding.refused


def test_two_live_objects_with_one_name_are_refused_not_guessed() -> None:
    wanted = entry("meteringElements", name="tokens", type="NUMBER")
    twins = [obj("meteringElements", i, name="tokens") for i in ("me1", "me2")]
    binding = match(desired(wanted), live(*twins))
    assert not binding.bound
    refusal = binding.refused[id(wanted)]
    assert refusal.address == "meteringElements/tokens"
    assert "2 live meteringElements match 'tokens' (ids me1, me2)" in refusal.reason
    assert "pin one with 'id:'" in refusal.reason
    assert refusal.source == str(wanted.location)


def test_a_pinned_id_picks_one_twin_and_the_other_entry_gets_the_rest() -> None:
    pinned = entry("meteringElements", pinned_id="me2", name="tokens", type="NUMBER")
    unpinned = entry("meteringElements", name="tokens", type="NUMBER")
    twins = [obj("meteringElements", i, name="tokens") for i in ("me1", "me2")]
    binding = match(desired(pinned, unpinned), live(*twins))
    assert binding.bound[id(pinned)].id == "me2"
    assert binding.bound[id(unpinned)].id == "me1"


def test_a_pinned_id_that_is_not_live_is_refused() -> None:
    pinned = entry("meteringElements", pinned_id="gone", name="tokens", type="NUMBER")
    binding = match(desired(pinned), live(obj("meteringElements", "me1", name="tokens")))
    assert not binding.bound
    assert "pinned id gone is not a metering element" in binding.refused[id(pinned)].reason


def test_a_pinned_id_of_an_unmanaged_object_is_refused() -> None:
    model = entry("aiModels", pinned_id="g1", name="gpt-4o", provider="OPENAI")
    catalog = obj(
        "aiModels", "g1", managed=False, origin="GLOBAL", name="gpt-4o", provider="OPENAI"
    )
    binding = match(desired(model), live(catalog))
    assert id(model) in binding.refused


def test_an_unmanaged_object_with_the_same_key_is_never_bound() -> None:
    """A GLOBAL model with the entry's name is cloned, not taken over."""
    model = entry("aiModels", name="gpt-4o", provider="OPENAI")
    catalog = obj(
        "aiModels", "g1", managed=False, origin="GLOBAL", name="gpt-4o", provider="openai"
    )
    binding = match(desired(model), live(catalog))
    assert not binding.bound and not binding.refused


def test_a_live_object_with_an_unsafe_id_refuses_the_entry_of_its_name() -> None:
    wanted = entry("meteringElements", name="tokens", type="NUMBER")
    bad = obj("meteringElements", "../x", name="tokens")
    binding = match(desired(wanted), live(unsafe=(bad,)))
    assert "will not put in a URL" in binding.refused[id(wanted)].reason


def test_change_keys_are_addresses_and_pinned_duplicates_carry_their_id() -> None:
    a = entry("meteringElements", pinned_id="me1", name="tokens", type="NUMBER")
    b = entry("meteringElements", pinned_id="me2", name="tokens", type="NUMBER")
    c = entry("meteringElements", name="calls", type="NUMBER")
    keys = entry_keys(desired(a, b, c))
    assert keys[id(a)] == "meteringElements/tokens#me1"
    assert keys[id(b)] == "meteringElements/tokens#me2"
    assert keys[id(c)] == "meteringElements/calls"


def test_indexes_fold_keys_for_later_stages() -> None:
    wanted = entry("subscribers", email="Ops@Acme.Example")
    found = obj("subscribers", "s1", email="OPS@acme.example")
    binding = match(desired(wanted), live(found))
    assert binding.entries_by_key["subscribers"][("ops@acme.example",)] == [wanted]
    assert binding.live_by_key["subscribers"][("ops@acme.example",)] == [found]
    assert binding.live_by_id[("subscribers", "s1")] is found
