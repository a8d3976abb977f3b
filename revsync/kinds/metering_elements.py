"""Metering element definitions, referenced by product plans."""

from __future__ import annotations

from .base import Kind


class MeteringElements(Kind):
    name = "meteringElements"
    title = "metering element"
    schema_def = "meteringElement"
    api_path = "/v2/api/metering-element-definitions"


KIND = MeteringElements()
