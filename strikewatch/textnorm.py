"""Length-preserving text normalisation: match on the clean copy, cut evidence from the raw text.

Every replacement is one character for one character, so an offset found in the normalised
copy is the same offset in the raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONE_FOR_ONE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\t": " ",
    }
)

_CR = re.compile(r"\r\n?")


def normalize(text: str) -> str:
    """Return text with spaces, quotes, dashes and line ends folded to ASCII, same length."""
    folded = text
    for char, replacement in _ONE_FOR_ONE.items():  # a C scan per character, few of them
        if chr(char) in folded:
            folded = folded.replace(chr(char), replacement)
    if "\r" in folded:
        folded = _CR.sub(lambda m: " \n" if m.group() == "\r\n" else "\n", folded)
    return folded


@dataclass(frozen=True)
class NormalText:
    """A raw text's normalised form and that lower-cased, both the raw text's length: worked
    out once by the document layer, then read by the analysis."""

    norm: str
    lowered: str

    @classmethod
    def of(cls, text: str) -> NormalText:
        norm = normalize(text)
        return cls(norm, lower_same_length(norm))


LOWER_CHUNK = 512  # characters lower-cased at a time in a text that is not ASCII


def lower_same_length(text: str) -> str:
    """text.lower(), except for the few characters whose lower case is longer ("İ"), which stay
    as they are, so that offsets into the result are offsets into text.

    A text with a few non-ASCII characters is lowered a chunk at a time: str.lower reads each
    character of a non-ASCII string by a table, an ASCII chunk at once. Only a capital sigma
    lowers by what surrounds it (a final "ς"), so a text with one is lowered whole."""
    if text.isascii() or "\u03a3" in text:
        return _lower_whole(text)
    chunks = (text[start : start + LOWER_CHUNK] for start in range(0, len(text), LOWER_CHUNK))
    return "".join(map(_lower_whole, chunks))


def _lower_whole(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
