"""Writing manifests: plain block YAML that reads back as exactly the same values."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import yaml

from ..core.location import Location
from .scalars import FatalYaml, core_scalar


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key, as hand-written manifests do."""
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = None
    if "\n" in value:
        style = "|"
    else:
        try:
            reads_back = core_scalar(value, Location("", 0, 0))
        except FatalYaml:
            reads_back = None
        if not isinstance(reads_back, str) or "${" in value or value != value.strip():
            style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    """Prices as people write them: 0.0000006, not 6e-07 (reads back as the same float)."""
    if not math.isfinite(value):
        return dumper.represent_float(value)
    text = format(Decimal(repr(value)), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(str, _str)
_Dumper.add_representer(float, _float)


def dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
