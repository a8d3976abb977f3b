"""JSON Schema validation of manifest documents, with errors a person can act on."""

from __future__ import annotations

import difflib
from functools import cache
from typing import TYPE_CHECKING, Any

from .. import kinds
from ..core import paths
from ..core.location import locate
from ..core.problems import Problem
from .compiled import Check, compile_schema
from .schema_build import build_manifest_schema

if TYPE_CHECKING:  # jsonschema is imported when a manifest is first checked, not before
    import jsonschema
    from jsonschema import Draft202012Validator

TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


@cache
def manifest_schema() -> dict[str, Any]:
    """The manifest schema of the registered kinds (built once; do not mutate)."""
    return build_manifest_schema(kinds.KINDS.values())


@cache
def validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(manifest_schema(), format_checker=FormatChecker())


# formats the manifest schema uses, checked as jsonschema's FormatChecker checks them, so a
# valid manifest never needs jsonschema imported (a tenth of a second at every start)
FORMATS = {"email": lambda v: not isinstance(v, str) or "@" in v}


def conforms(value: Any, format_name: str) -> bool:
    known = FORMATS.get(format_name)
    if known is None:
        return validator().format_checker.conforms(value, format_name)
    return known(value)


@cache
def quick_check() -> Check | None:
    """The compiled yes/no check of the manifest schema (None: jsonschema does it all)."""
    return compile_schema(manifest_schema(), conforms)


def did_you_mean(word: str, choices: list[str]) -> str:
    upper = {c.upper(): c for c in choices}
    if word.upper() in upper:
        return f"; did you mean '{upper[word.upper()]}'?"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.upper(), list(upper), n=1, cutoff=0.6)
        close = [upper[c] for c in close]
    return f"; did you mean '{close[0]}'?" if close else ""


def check_document(doc: Any, addresser) -> list[Problem]:
    """All schema errors of one document. `addresser(path)` names the object at a path."""
    quick = quick_check()
    if quick is not None and quick(doc):
        return []  # valid: no need for jsonschema's slower walk, which finds the paths
    problems: list[Problem] = []
    for error in validator().iter_errors(doc):
        problems.extend(_convert(error, doc, addresser))
    return problems


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _convert(error: jsonschema.ValidationError, doc: Any, addresser) -> list[Problem]:
    path = tuple(error.absolute_path)
    address, field_path = addresser(path)
    prefix = f"{paths.fmt(field_path)}: " if field_path else ""
    validator_name = error.validator
    instance = error.instance

    if validator_name == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for extra in sorted(set(instance) - set(allowed)):
            where = locate(doc, (*path, extra), prefer_key=True)
            if not path:
                kinds = [k for k in allowed if k not in ("version", "settings")]
                message = f"unknown kind '{extra}'{did_you_mean(extra, kinds)}"
                message += f" (kinds: {', '.join(kinds)})" if "did you" not in message else ""
                out.append(Problem(message, where))
            else:
                hint = did_you_mean(extra, allowed)
                out.append(Problem(f"{prefix}unknown field '{extra}'{hint}", where, address))
        return out
    where = locate(doc, path)
    if validator_name == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [Problem(f"{prefix}missing required field '{missing}'", where, address)]
    if validator_name == "enum":
        choices = [str(c) for c in error.validator_value]
        hint = did_you_mean(str(instance), choices) if isinstance(instance, str) else ""
        listing = "" if hint else f" (one of: {', '.join(choices)})"
        return [
            Problem(f"{prefix}{instance!r} is not a valid value{hint}{listing}", where, address)
        ]
    if validator_name == "type":
        wanted = error.validator_value
        names = [TYPE_NAMES.get(t, t) for t in (wanted if isinstance(wanted, list) else [wanted])]
        message = f"{prefix}must be {' or '.join(names)}, not {_describe(instance)}"
        if isinstance(instance, str) and "number" in str(wanted) and _numeric(instance):
            message += " (remove the quotes)"
        return [Problem(message, where, address)]
    if validator_name == "format":
        return [
            Problem(f"{prefix}{instance!r} is not a valid {error.validator_value}", where, address)
        ]
    if validator_name == "const":
        return [Problem(f"{prefix}must be {error.validator_value!r}", where, address)]
    if validator_name == "pattern" and field_path and field_path[-1] == "id":
        return [Problem(f"{prefix}{instance!r} is not a valid Revenium id", where, address)]
    return [Problem(f"{prefix}{error.message}", where, address)]


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
