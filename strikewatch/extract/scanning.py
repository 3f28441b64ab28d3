"""Regex scans that try a pattern only where, or when, it can match.

`pattern.finditer` tries a pattern at every character. For the long alternations of words that
figures and dates are made of, most of a scan is spent failing at words that could never begin
a match. `finditer_at` gives exactly the matches `pattern.finditer(text)` gives, trying the
pattern only at the positions a cheaper test has picked out as possible starts;
`matches_opening` does so for a pattern whose every match opens with one of a few words.
`folded` lets a substring test rule out a case-insensitive pattern before it is searched for at
all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from strikewatch.lexicon import alternation
from strikewatch.textnorm import lower_same_length

WORD = re.compile(r"\w+")
# The only non-ASCII letters that re.IGNORECASE takes for ASCII ones.
_ASCII_LOOKALIKES = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))


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


def openings(words: Iterable[str]) -> re.Pattern[str]:
    """The lower-case words one of which opens every match of a pattern, in some case, as a
    pattern for matches_opening: a character trie, which the engine skips along."""
    return re.compile(alternation(sorted(set(words))))


def matches_opening(
    pattern: re.Pattern[str],
    text: str,
    folded: str,
    start: int,
    end: int,
    opening: re.Pattern[str],
) -> Iterator[re.Match[str]]:
    """pattern.finditer(text, start, end), for a pattern that never matches the empty string and
    whose every match begins where `opening` (see openings) matches in `folded` (the text
    lower-cased, of the same length: folded()): tried only there, where the engine would try it
    at every character, slowly where it is long or under IGNORECASE."""
    place = opening.search(folded, start, end)
    while place is not None:
        match = pattern.match(text, place.start(), end)
        if match is None:
            place = opening.search(folded, place.start() + 1, end)
        else:
            yield match  # finditer goes on after its end
            place = opening.search(folded, match.end(), end)


def occurrences(text: str, strings: Iterable[str]) -> list[int]:
    """Where each of the strings begins in the text, in ascending order: found by `str.find`,
    which skips along far faster than the regex engine tries an alternation of words."""
    found = []
    for string in strings:
        position = text.find(string)
        while position >= 0:
            found.append(position)
            position = text.find(string, position + 1)
    found.sort()
    return found


def folded(text: str, lowered: str | None = None) -> str:
    """Text lower-cased, its ASCII look-alike letters made ASCII, of the same length: every
    case-insensitive match of a run of ASCII letters in `text` appears in it lower-cased, at
    the same offsets. `lowered`, the text lower-cased if at hand, is returned when the text
    holds no look-alike."""
    if lowered is not None and (
        text.isascii() or not any(lookalike in text for lookalike, _ in _ASCII_LOOKALIKES)
    ):
        return lowered
    if not text.isascii():
        for lookalike, letter in _ASCII_LOOKALIKES:
            text = text.replace(lookalike, letter)
    return lower_same_length(text)
