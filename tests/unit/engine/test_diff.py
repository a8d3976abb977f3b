"""field_changes: list items with a key are compared by key, others by index."""

from __future__ import annotations

from revsync.engine.changes import list_keys, top_field
from revsync.engine.diff import field_changes
from revsync.engine.plan import MISSING
from revsync.kinds.ai_models import AiModels
from revsync.kinds.cost_controls import CostControls
from revsync.kinds.products import Products

PRODUCT_KEYS = list_keys(Products())
FIRST = {"name": "first", "upTo": 1000, "unitAmount": 0}
AFTER = {"name": "after", "startingFrom": 1000, "unitAmount": 0.002}
GROWTH = {"name": "Growth", "startingFrom": 1000, "upTo": 5000, "unitAmount": 0.0015}


def product(*tiers: dict, **plan: object) -> dict:
    return {"name": "P", "plan": {"type": "SUBSCRIPTION", "tiers": list(tiers), **plan}}


def lines(live: dict, desired: dict, keys: dict | None = PRODUCT_KEYS) -> list[tuple]:
    return [(f.path, f.old, f.new) for f in field_changes(live, desired, keys)]


def test_inserted_tier_is_one_added_item_and_a_moved_bound() -> None:
    moved = {**AFTER, "startingFrom": 5000}
    assert lines(product(FIRST, AFTER), product(FIRST, GROWTH, moved)) == [
        ("plan.tiers[name=Growth]", MISSING, GROWTH),
        ("plan.tiers[name=after].startingFrom", 1000, 5000),
    ]


def test_without_keys_the_same_insert_shifts_indexes() -> None:
    shifted = lines(product(FIRST, AFTER), product(FIRST, GROWTH, AFTER), keys=None)
    assert [path for path, _, _ in shifted] == [
        "plan.tiers[1].name",
        "plan.tiers[1].unitAmount",
        "plan.tiers[1].upTo",
        "plan.tiers[2]",
    ]


def test_removed_tier_is_one_removal_and_changed_tier_only_its_field() -> None:
    cheaper = {**FIRST, "unitAmount": 0.5}
    assert lines(product(FIRST, GROWTH, AFTER), product(cheaper, AFTER)) == [
        ("plan.tiers[name=first].unitAmount", 0, 0.5),
        ("plan.tiers[name=Growth]", GROWTH, MISSING),
    ]


def test_nested_keyed_lists_match_by_key_at_every_level() -> None:
    def agg(name: str, *tiers: dict) -> dict:
        return {"name": name, "element": "tokens", "tiers": list(tiers)}

    live = product(FIRST, ratingAggregations=[agg("b", FIRST)])
    desired = product(FIRST, ratingAggregations=[agg("a", AFTER), agg("b", FIRST, GROWTH)])
    assert lines(live, desired) == [
        ("plan.ratingAggregations[name=a]", MISSING, agg("a", AFTER)),
        ("plan.ratingAggregations[name=b].tiers[name=Growth]", MISSING, GROWTH),
    ]


def test_repeated_names_fall_back_to_the_declared_fields_then_to_indexes() -> None:
    twin = {**AFTER, "name": "first"}
    assert lines(product(FIRST), product(FIRST, twin)) == [
        ("plan.tiers[startingFrom=1000,name=first]", MISSING, twin),
    ]
    same = {"name": "first", "unitAmount": 1}
    assert [p for p, _, _ in lines(product(same), product(same, same))] == ["plan.tiers[1]"]


def test_multi_field_key_names_each_field_set() -> None:
    keys = list_keys(AiModels())
    text = {"modality": "TEXT", "billingUnit": "PER_TOKEN", "unitPrice": 1}
    audio = {"modality": "AUDIO", "billingUnit": "PER_SECOND", "unitPrice": 2}
    live = {"name": "m", "pricingDimensions": [text]}
    desired = {"name": "m", "pricingDimensions": [audio, {**text, "unitPrice": 3}]}
    assert lines(live, desired, keys) == [
        ("pricingDimensions[modality=AUDIO,billingUnit=PER_SECOND]", MISSING, audio),
        ("pricingDimensions[modality=TEXT,billingUnit=PER_TOKEN].unitPrice", 1, 3),
    ]


def test_label_values_that_could_mislead_are_quoted() -> None:
    keys = list_keys(CostControls())
    odd = {"dimension": "MODEL", "operator": "IS", "value": "a,b=[c]"}
    number = {"dimension": "MODEL", "operator": "IS", "value": "1000"}
    assert [p for p, _, _ in lines({"filters": [number]}, {"filters": [number, odd]}, keys)] == [
        'filters[dimension=MODEL,operator=IS,value="a,b=[c]"]'
    ]
    changed = {"filters": [{**number, "value": "2000"}]}
    assert [p for p, _, _ in lines({"filters": [number]}, changed, keys)] == [
        'filters[dimension=MODEL,operator=IS,value="2000"]',
        'filters[dimension=MODEL,operator=IS,value="1000"]',
    ]


def test_plain_value_lists_inside_keyed_items_show_whole() -> None:
    keys = list_keys(CostControls())
    row = {"dimension": "MODEL", "operator": "IN", "values": ["a", "b"]}
    desired = {"filters": [{**row, "values": ["a", "c"]}]}
    assert lines({"filters": [row]}, desired, keys) == [
        ("filters[dimension=MODEL,operator=IN].values", ["a", "b"], ["a", "c"]),
    ]


def test_keyed_paths_keep_their_top_field() -> None:
    [change] = field_changes(product(FIRST), product(FIRST, GROWTH), PRODUCT_KEYS)
    assert top_field(change.path) == "plan"
    assert top_field("terms[order=1].text") == "terms"


def test_equal_and_created_objects_are_unchanged_by_keys() -> None:
    assert field_changes(product(FIRST), product(FIRST), PRODUCT_KEYS) == []
    created = field_changes({}, product(FIRST), PRODUCT_KEYS)
    assert [(f.path, f.new) for f in created] == [("name", "P"), ("plan", product(FIRST)["plan"])]
