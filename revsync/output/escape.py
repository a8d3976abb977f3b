"""Names and values come from manifests and from Revenium: they must not forge output lines,
move the terminal cursor, or inject Markdown/HTML into a pull-request comment."""

from __future__ import annotations

import re

# C0/C1 controls, DEL, line/paragraph separators and bidirectional overrides
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# inline Markdown/HTML, autolinks (`http://`, `www.`), @mentions, #issue links and $math$;
# md_text is never placed at the start of a line, so `-`, `+`, `.`, `=` cannot start a block
_MARKDOWN = set("\\`*_{}[]<>&|~@#$")
_AUTOLINK = re.compile(r"(?i)(www)\.|:(?=//)")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    if match.group() in _NAMED:
        return _NAMED[match.group()]
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: object) -> str:
    """One line of printable text: controls become visible escapes (`\\n`, `\\x1b`)."""
    return _UNSAFE.sub(_visible, str(text))


def md_text(text: object) -> str:
    """Markdown prose: every punctuation character as an HTML entity, read literally."""
    escaped = "".join(f"&#{ord(c)};" if c in _MARKDOWN else c for c in plain(text))
    return _AUTOLINK.sub(lambda m: "www&#46;" if m.group(1) else "&#58;", escaped)


def md_code(text: object, in_table: bool = False) -> str:
    """Inline code: a code span when that is safe, else <code> with entities."""
    safe = plain(text)
    if "`" in safe or (in_table and "\\" in safe):
        return f"<code>{md_text(safe)}</code>"
    return f"`{safe.replace('|', chr(92) + '|')}`" if in_table else f"`{safe}`"


def html_text(text: object) -> str:
    """Text inside an HTML element (a <summary>): entities, one line; read literally whether
    GitHub treats the line as HTML or as Markdown."""
    return md_text(text)


def fence(lines: list[str], info: str = "") -> list[str]:
    """A fenced block whose fence no line of it can close (one backtick longer than any run)."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    marks = "`" * max(3, longest + 1)
    return [marks + info, *lines, marks]
