"""`tidy` is the one-pass form of `numbers(drop_empty(...))` used on the planning hot path."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from revsync.kinds.normalize import drop_empty, numbers, tidy

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(values)
def test_tidy_is_numbers_of_drop_empty(value):
    assert repr(tidy(value)) == repr(numbers(drop_empty(value)))


def test_tidy_examples():
    assert tidy({"a": None, "b": [], "c": {"d": {}}, "e": 2.0, "f": [1.5, None], "g": True}) == {
        "e": 2,
        "f": [1.5, None],
        "g": True,
    }
    assert type(tidy({"e": 2.0})["e"]) is int
