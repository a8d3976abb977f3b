"""Metering element definitions, referenced by product plans (§2 refs)."""

from __future__ import annotations

from ..validation import F
from . import enums as E
from .base import Collection


class MeteringElements(Collection):
    kind = "element"
    segment = "metering-element-definitions"
    embedded = "meteringElementDefinitionResourceList"
    resource_type = "metering_element_definition"
    title = "Metering element definition"
    noun = "metering element definition"
    specs = {
        "name": F("string", required=True),
        "type": F("string", required=True, enum=E.ELEMENT_DEFINITION_TYPES),
        "description": F("string"),
        "teamId": F("string"),
    }


COLLECTIONS = (MeteringElements,)
