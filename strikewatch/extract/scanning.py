"""Regex scans that try a pattern only where a match can begin.

`pattern.finditer` tries a pattern at every character. For the long alternations of words that
figures and dates are made of, most of a scan is spent failing at words that could never begin
a match. `finditer_at` gives exactly the matches `pattern.finditer(text)` gives, trying the
pattern only at the positions a cheaper test has picked out as possible starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

WORD = re.compile(r"\w+")


def finditer_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), for a pattern whose every match begins at one of the ascending
    `starts` and that never matches the empty string."""
    resume = 0
    for start in starts:
        if start < resume:
            continue  # inside the previous match: finditer goes on after its end
        match = pattern.match(text, start)
        if match is not None:
            resume = match.end()
            yield match
