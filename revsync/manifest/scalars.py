"""YAML 1.2 core schema resolution of scalars, and the error that stops reading a file.

`yes`, `no`, `on` and `off` are strings, and dates stay strings, as the Revenium API wants
them; numbers are finite and of a sane length.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..core.location import Location
from ..core.problems import Problem

TAG = "tag:yaml.org,2002:"
KEY_TAGS = ("!", TAG + "str")
NULLS = {"", "~", "null", "Null", "NULL"}
TRUES = {"true", "True", "TRUE"}
FALSES = {"false", "False", "FALSE"}
INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
SPECIAL_FLOAT = re.compile(r"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")


class FatalYaml(Exception):
    """A problem after which the rest of the file cannot be trusted: the file gives no
    documents, only this problem."""

    def __init__(self, message: str, location: Location | None) -> None:
        super().__init__(message)
        self.problem = Problem(message, location)


MAX_NUMBER_CHARS = 100  # longer is a mistake (or an attack on int()), never a real amount


def core_scalar(text: str, location: Location) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if text in NULLS:
        return None
    if text in TRUES:
        return True
    if text in FALSES:
        return False
    if (INT.match(text) or FLOAT.match(text)) and len(text) > MAX_NUMBER_CHARS:
        raise FatalYaml(f"a number of {len(text)} characters is not a price or a count", location)
    if INT.match(text):
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if FLOAT.match(text):
        value = float(text)
        if not math.isfinite(value):
            raise FatalYaml(f"number {text} is out of range", location)
        return value
    if SPECIAL_FLOAT.match(text):
        raise FatalYaml(f"{text} is not a finite number; the API accepts finite numbers", location)
    return text


NUMBER_START = frozenset("0123456789+-.")  # every int, float and .inf/.nan starts so
WORDS: dict[str, Any] = {**dict.fromkeys(NULLS), **dict.fromkeys(TRUES, True)}
WORDS.update(dict.fromkeys(FALSES, False))


def plain_scalar(text: str, display: str, mark: Any) -> Any:
    """`core_scalar` of a plain scalar, quick for the text and small counts most values are."""
    if text[:1] not in NUMBER_START:
        return WORDS.get(text, text)
    if len(text) <= MAX_NUMBER_CHARS and text.isascii() and text.isdigit():
        return int(text)
    return core_scalar(text, Location(display, mark.line + 1, mark.column + 1))
