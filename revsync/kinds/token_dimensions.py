"""A model's per-token prices and its token pricing dimensions say the same thing twice.

`inputCostPerToken` is the `TEXT_TOKEN_INPUT` dimension's unit price, `outputCostPerToken`
the `TEXT_TOKEN_OUTPUT` one's. A clone takes the GLOBAL model's dimensions at catalog
prices, so re-pricing a model moves these two dimensions with it; an entry that lists both
must make them agree (docs/api-assumptions.md, "AI model token dimensions").
"""

from __future__ import annotations

import copy
from typing import Any

from .normalize import decimal, plain_number

PRICE_OF = {"TEXT_TOKEN_INPUT": "inputCostPerToken", "TEXT_TOKEN_OUTPUT": "outputCostPerToken"}
DIMENSIONS = "pricingDimensions"


def writable(dims: Any) -> list[dict[str, Any]]:
    """Live dimensions as a batch save takes them: no server ids or GLOBAL marks."""
    out = []
    for dim in dims or []:
        if isinstance(dim, dict):
            out.append({k: v for k, v in dim.items() if k not in ("id", "isGlobal")})
    return out


def follow(dims: list[dict[str, Any]], prices: dict[str, Any]) -> list[dict[str, Any]] | None:
    """`dims` with the token dimensions at `prices`; None when nothing moves."""
    moved = copy.deepcopy(dims)
    changed = False
    for dim in moved:
        field = PRICE_OF.get(dim.get("costType"))
        price = prices.get(field) if field else None
        if price is not None and decimal(dim.get("unitPrice")) != decimal(price):
            dim["unitPrice"] = price
            changed = True
    return moved if changed else None


def prices_from(dims: list[dict[str, Any]]) -> dict[str, Any]:
    """The per-token prices a set of dimensions states (a model priced by dimensions only)."""
    out = {}
    for dim in dims:
        field = PRICE_OF.get(dim.get("costType")) if isinstance(dim, dict) else None
        if field and dim.get("unitPrice") is not None:
            out.setdefault(field, dim["unitPrice"])
    return out


def missing_prices(fields: dict[str, Any]) -> list[str]:
    """The per-token prices neither the fields nor the token dimensions give."""
    stated = prices_from(fields.get(DIMENSIONS) or [])
    return [f for f in PRICE_OF.values() if fields.get(f) is None and f not in stated]


def disagreements(fields: dict[str, Any]) -> list[tuple[tuple, str]]:
    """(path, message) for each token dimension whose price differs from the entry's."""
    out = []
    for i, dim in enumerate(fields.get(DIMENSIONS) or []):
        if not isinstance(dim, dict):
            continue
        field = PRICE_OF.get(dim.get("costType"))
        price = fields.get(field) if field else None
        if price is None or dim.get("unitPrice") is None:
            continue
        if decimal(dim["unitPrice"]) != decimal(price):
            cost, stated = plain_number(dim["unitPrice"]), plain_number(price)
            out.append(
                (
                    (DIMENSIONS, i, "unitPrice"),
                    f"pricingDimensions[{i}] ({dim['costType']}) costs {cost} but {field} is "
                    f"{stated}: they are the same price and must agree",
                )
            )
    return out
