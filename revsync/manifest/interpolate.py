"""`${VAR}`, `${VAR:-default}` and `$${` (a literal `${`) in manifest strings."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
WHOLE = re.compile(r"^\$\{[^}]*\}$")


@dataclass
class Interpolated:
    value: str
    variables: list[str] = field(default_factory=list)  # names that were looked up
    errors: list[str] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)  # placeholders left in the value

    @property
    def from_env(self) -> bool:
        return bool(self.variables)


def interpolate(text: str, env: Mapping[str, str], placeholders: bool = False) -> Interpolated:
    """Replace references. With `placeholders` (offline `validate`), an unset variable
    without default stays as written and is listed in `unset` instead of being an error."""
    if "$" not in text:
        return Interpolated(text)
    out: list[str] = []
    result = Interpolated("")
    i = 0
    while i < len(text):
        if text.startswith("$${", i):
            out.append("${")
            i += 3
            continue
        if not text.startswith("${", i):
            out.append(text[i])
            i += 1
            continue
        end = text.find("}", i + 2)
        if end < 0:
            result.errors.append("unterminated '${' (write '$${' for a literal '${')")
            out.append(text[i:])
            break
        inner = text[i + 2 : end]
        name, has_default, default = inner.partition(":-")
        if not NAME.match(name):
            result.errors.append(
                f"invalid variable reference '${{{inner}}}' "
                "(use ${NAME} or ${NAME:-default}; '$${' for a literal '${')"
            )
        else:
            result.variables.append(name)
            value = env.get(name)
            if value is None or (has_default and value == ""):
                if has_default:
                    value = default
                elif placeholders:
                    result.unset.append(name)
                    value = text[i : end + 1]
                else:
                    result.errors.append(f"environment variable {name} is not set")
                    value = ""
            out.append(value)
        i = end + 1
    result.value = "".join(out)
    return result


def is_whole_reference(text: str) -> bool:
    """A plain scalar that is exactly one `${...}` takes the type of what it expands to."""
    return bool(WHOLE.match(text))


SECRET_NAME = re.compile(r"KEY|SECRET|TOKEN|PASSWORD|PASSWD|WEBHOOK|CREDENTIAL|PRIVATE", re.I)


def secret_variable(name: str, listed: Collection[str] = ()) -> bool:
    """Whether a variable's value is a secret: listed in `settings.sensitive`, or a
    secret-looking name (`*_KEY`, `*_TOKEN`, `*WEBHOOK*`...). Others are shown in plans."""
    return name in listed or bool(SECRET_NAME.search(name))
