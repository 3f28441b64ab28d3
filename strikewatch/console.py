"""Text for the terminal: names from the source folder printed so that they cannot fake output.

A file name may hold a newline, a carriage return or an ANSI escape sequence. Printed raw, such
a name could start a new summary line ("Warning: none") or repaint the terminal. `printable`
shows every such character as a visible escape instead.
"""

from __future__ import annotations

import re

# control characters (C0, DEL, C1), line and paragraph separators, the bidirectional controls
# that can reorder what follows them on screen, and lone surrogates (undecodable name bytes)
_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` with control, line-breaking and reordering characters shown as escapes."""
    value = str(text)
    if not _UNSAFE.search(value):
        return value
    return _UNSAFE.sub(_escape, value)
