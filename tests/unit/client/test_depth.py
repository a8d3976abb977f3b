"""The depth limit of answers holds exactly at its boundary, for values and containers."""

from __future__ import annotations

import pytest

from revsync.client.answers import MAX_DEPTH, BadJson, _check_depth


def nest(levels: int, leaf: object) -> object:
    value = leaf
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


@pytest.mark.parametrize("leaf", [1, None, [], {}, [1], {"a": "b"}])
def test_values_count_as_a_level(leaf):
    deepest = MAX_DEPTH - (1 if leaf in ([], {}) or not isinstance(leaf, (list, dict)) else 2)
    _check_depth(nest(deepest, leaf))
    with pytest.raises(BadJson):
        _check_depth(nest(deepest + 1, leaf))
