"""Numbers, columns and escapes of the text and Markdown outputs."""

from __future__ import annotations

from decimal import Decimal

from revsync.engine.plan import Unmanaged
from revsync.output.escape import fence, md_code, md_text, plain
from revsync.output.text import field_rows
from revsync.output.values import literal, unmanaged_names


def test_prices_are_never_in_scientific_notation() -> None:
    assert literal(6e-07) == "0.0000006"
    assert literal({"tiers": [{"unitPrice": 2.5e-06}]}) == '{"tiers": [{"unitPrice": 0.0000025}]}'
    assert literal(Decimal("1E-7")) == "0.0000001"
    assert literal(10) == "10" and literal(True) == "true" and literal("a\nb") == '"a\\nb"'


def test_values_stay_in_one_column_whatever_the_path_length() -> None:
    long = "plan.tiers[0].elements[0].pricingDimensions[0].unitPriceOverride"
    rows = field_rows([("name", '"x"'), ("plan.currency", '"USD"'), (long, "1 -> 2")])
    assert rows[0] == '      name:          "x"'
    assert rows[1] == '      plan.currency: "USD"'
    assert rows[2] == f"      {long}:"
    assert rows[3].index("1 -> 2") == rows[0].index('"x"')


def test_control_characters_become_visible() -> None:
    assert plain("a\nb\x1b[2J\u202ec") == "a\\nb\\x1b[2J\\u202ec"


def test_markdown_text_is_read_literally() -> None:
    text = md_text("*x* [l](http://e.example) @team #1 www.e.example |`")
    for raw in ("*", "[", "@", "#1", "|", "`", "://", "www."):
        assert raw not in text.replace("&#", "")
    assert md_code("a|b", in_table=True) == "`a\\|b`"
    assert md_code("a`b").startswith("<code>")


def test_a_fence_outlasts_the_backticks_inside() -> None:
    assert fence(["```", "x"])[0] == "````" and fence(["x"], "diff")[0] == "```diff"


def test_unmanaged_objects_named_up_to_a_limit() -> None:
    items = [Unmanaged("organizations", f"o{i}", str(i)) for i in range(13)]
    text = unmanaged_names(items, limit=10)
    assert text.startswith("organizations/o0 (id 0), organizations/o1 (id 1)")
    assert text.endswith("organizations/o9 (id 9) and 3 more")
    assert unmanaged_names(items[:2]) == "organizations/o0 (id 0), organizations/o1 (id 1)"
