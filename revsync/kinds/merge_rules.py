"""Rules of kinds updated by merging the manifest into what Revenium holds (sources, tools).

Such a kind compares only the fields an entry sets, and an empty value (null, [], {}) sets
nothing; yet it would be sent with the next update of another field, and whether the API
then clears the field is not documented. The plan would not show it: say so at validate.
"""

from __future__ import annotations

from ..core.desired import Entry
from ..core.problems import Problem


def empty_values(entry: Entry, title: str) -> list[Problem]:
    """An error for every top-level field the entry gives an empty value."""
    problems = []
    for field_name, value in entry.fields.items():
        if value is None or (isinstance(value, (list, dict)) and not value):
            shown = "null" if value is None else "[]" if isinstance(value, list) else "{}"
            problems.append(
                Problem(
                    f"{field_name}: {shown} cannot clear it: revsync updates a {title} by "
                    "merging the manifest into what Revenium holds (which fields Revenium's "
                    "update clears is not documented), so the plan compares only what an "
                    "entry sets, and an empty value sets nothing; remove the line to leave it "
                    "as it is in Revenium, or clear it there",
                    entry.where((field_name,)),
                    entry.address,
                    code="field.not-clearable",
                )
            )
    return problems
