"""Option values with a range: a bad number is a usage error that says what is allowed."""

from __future__ import annotations

import math
from typing import Any

import click


class Seconds(click.ParamType):
    """A finite number of seconds between `low` and `high` (`low` excluded unless `zero_ok`)."""

    name = "seconds"

    def __init__(self, low: float = 0.0, high: float = 3600.0, zero_ok: bool = False) -> None:
        self.low, self.high, self.zero_ok = low, high, zero_ok

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        too_low = number < self.low or (number == self.low and not self.zero_ok)
        if too_low or number > self.high:
            low = f"at least {self.low:g}" if self.zero_ok else f"more than {self.low:g}"
            self.fail(
                f"{value} s is out of range: give {low} and at most {self.high:g}", param, ctx
            )
        return number
