"""Figures as English news writes them: digits, words, fractions, percentages, hedges.

    parse_number(s) -> float | None
        The value of one figure written alone ("100,000", "89 000", "2.5m", "three hundred",
        "64 per cent" -> 64.0, "a quarter" -> 25.0, "one in five (18%)" -> 18.0).
    scan_quantities(text, word_starts) -> tuple[Quantity, ...]
        Every figure of a (normalised) text, in order. Figures that are not quantities are left
        out: years, ages ("Dr Jo Bloggs, 36"), money ("£22bn", "£7.20"), odds and ratios written
        with "/" ("6/1"), phone numbers, clock times ("08:00", "8am"), dates, durations
        ("48-hour", "24 hours"), ordinals ("26th"), labels ("Ward 11", "NHS 111", "Covid-19").

The words come from the lexicons numbers.toml and calendar.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from strikewatch.extract.scanning import finditer_at
from strikewatch.lexicon import alternation, lexicon

_NUMBER_WORDS = lexicon("number_words")
_SCALE_WORDS = lexicon("scale_words")
_SCALE_SUFFIXES = lexicon("scale_suffixes")
_FRACTIONS = lexicon("fractions")
_QUALIFIERS = lexicon("qualifiers")

_WORD = _NUMBER_WORDS.pattern()
_SCALE_WORD = _SCALE_WORDS.pattern()
_WORD_NUMBER = (
    rf"(?:(?:{_WORD}|a)[\s-]+{_SCALE_WORD}\b|{_WORD}\b)"
    rf"(?:[\s-]+(?:and\s+)?(?:{_WORD}|{_SCALE_WORD})\b)*"
)
_NUMERAL = (
    r"(?<![\w£$€/:.])"
    r"(?:\d{1,3}(?:,\d{3})+(?!\d|,\d)|\d{1,3}(?: \d{3})+(?!\d)"
    r"|\d{1,3},\s\d{3}(?!\d|,\d)|\d+)(?:\.\d+)?"
)
_SCALE = rf"(?:\s?{_SCALE_SUFFIXES.pattern()}|\s?{_SCALE_WORD})(?![\w])"
_PER_CENT = r"per[^\S\n]*(?:-[^\S\n]*)?\n?[^\S\n]*cent\b"  # "per cent", also across a line
_PERCENT = rf"(?:\s?%|\s{{0,3}}{_PER_CENT}|\s?percent\b|\s?pc\b)"
# "half a million", "three quarters of a million", "two and a half million"
# (A figure opening with a digit is mostly a numeral: the lookaheads "(?!\d(?!...))" give up
# the other readings there at once unless the words they need follow the digits.)
_PART_OF_SCALE = (
    r"(?!\d(?!\d{0,2}\s+and\s))"
    rf"(?:(?P<part_whole>{_WORD}|\d{{1,3}})\s+and\s+)?"
    r"(?P<part>(?:a|one|two|three)[\s-]+(?:half|quarters?|thirds?)|half)"
    rf"\s+(?:of\s+)?(?:an?\s+)?(?P<part_scale>{_SCALE_WORD})\b"
)
# "no appointments were cancelled": zero, when a plural noun and a verb follow
_NONE = r"(?P<none>no)(?=\s+(?:[a-z-]+\s+){0,3}?[a-z]+s\s+(?:were|was|have|has|had|are|is|will)\b)"


def _bracketed_percent(group: str) -> str:
    """Regex for an exact share in brackets after a fraction: "(54%)"."""
    return rf"\s*\(\s*(?P<{group}>{_NUMERAL}){_PERCENT}\s*\)"


_FIGURE = re.compile(
    rf"\b(?:(?P<qual>{_QUALIFIERS.pattern()})\s+)?"
    r"(?:"
    rf"{_PART_OF_SCALE}|{_NONE}|"
    r"(?!\d(?!\d?\s+(?:in|out\s+of)\s))"
    rf"(?P<ratio_a>{_WORD}|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?"
    rf"(?P<ratio_b>{_WORD}|hundred|\d{{1,4}})\b(?:{_bracketed_percent('ratio_bracket')})?"
    rf"|(?P<fraction>(?:(?:a|one|two|three|four|five|seven|nine)[\s-]+)?{_FRACTIONS.pattern()})\b"
    rf"(?:{_bracketed_percent('fraction_bracket')})?"
    rf"|(?P<numeral>{_NUMERAL})(?P<scale>{_SCALE})?(?P<percent>{_PERCENT})?"
    rf"|(?P<words>{_WORD_NUMBER})(?P<word_percent>\s+{_PER_CENT}|\s+percent\b)?"
    r")",
    re.IGNORECASE,
)
# _FIGURE for text lower-cased: the lexicons' groups, "(?i:...)", hold their phrases in lower
# case, and the rest of _FIGURE has no capital letter. Without the flag the engine tries it far
# faster (it skips an alternative by its first letter only when case counts).
_LOWER_CASE_FIGURE = re.compile(_FIGURE.pattern.replace("(?i:", "(?:"))

_MONTH = lexicon("months").pattern()
_A_MONTH = re.compile(_MONTH)  # what _DATE_BEFORE needs: a search that skips to capitals
_DATE_AFTER = re.compile(
    rf"(?:st|nd|rd|th)?(?:[^\S\n]*(?:-|to|and|&)[^\S\n]*\d{{1,2}}(?:st|nd|rd|th)?)?"
    rf"[^\S\n]+(?:of[^\S\n]+)?{_MONTH}\b"
)
_DATE_BEFORE = re.compile(
    rf"\b{_MONTH}\.?[^\S\n]+(?:\d{{1,2}}(?:st|nd|rd|th)?[^\S\n]*(?:-|to|and|&|,)[^\S\n]*)?$"
    rf"|\b{_MONTH}\.?,?[^\S\n]+\d{{1,2}}(?:st|nd|rd|th)?,?[^\S\n]+$"
)
_DURATION_AFTER = re.compile(
    rf"[\s-]?{lexicon('duration_units').pattern()}\b(?![\s-]cases?)"
    r"|[\s-]year[\s-]old",
    re.IGNORECASE,
)
# _DURATION_AFTER for text lower-cased, without the flag (as _LOWER_CASE_FIGURE)
_LOWER_CASE_DURATION_AFTER = re.compile(_DURATION_AFTER.pattern.replace("(?i:", "(?:"))
_TIME_AFTER = re.compile(
    rf"\s?(?:{lexicon('clock_words').pattern()}|{lexicon('time_zones').pattern()})(?![a-z])"
    r"|[:.]\d\d",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(rf"\s?{lexicon('money_words').pattern()}\b")
# One pattern for "_MONEY_AFTER, _TIME_AFTER or _DATE_AFTER matches".
_MONEY_TIME_OR_DATE_AFTER = re.compile(
    rf"(?:{_MONEY_AFTER.pattern})|(?i:{_TIME_AFTER.pattern})|(?:{_DATE_AFTER.pattern})"
)


def _endings(*endings: str) -> re.Pattern[str]:
    """A pattern that, matched at the end of a text, says whether the text ends with one of the
    endings (each of fixed width): a lookbehind each, tried at that one place."""
    return re.compile("|".join(f"(?<={ending})" for ending in endings))


def _label_word_endings() -> list[str]:
    """A label word and a space, as endings of equal width (a lookbehind needs a fixed one)."""
    by_length: dict[int, list[str]] = {}
    for word in lexicon("label_words").labels:
        by_length.setdefault(len(word), []).append(re.escape(word))
    return [rf"\b(?:{'|'.join(words)})\s" for _, words in sorted(by_length.items())]


# What makes the figure after it a label ("Ward 11", "No. 10", "B-52", "+44", "£ 5", "aged 36").
_LABEL_BEFORE = _endings(
    *_label_word_endings(),
    r"[A-Za-z]-",
    r"[£$€]",
    r"[£$€]\s",
    r"\+",
    r"\d[ -]",
    r"\d,\s",
    r"\baged\s",
)
_AGE_BEFORE = re.compile(r"[A-Z][\w'-]+,\s$")
_AGE_AFTER = re.compile(
    r"(?:,|\.|;|\)|$|\s+(?:from|of|who|said|says|told|and|a|an|the|is|was|has)\b)"
)
_PLURAL_NOUN_AFTER = re.compile(r"\s+[a-z]+s\b")
_PART_OF_A_UNIT = re.compile(r"\s+of\s+an?\s+(?:hour|mile|day|century)")  # "half of an hour"
_LIST_NUMBER_AFTER = re.compile(r"[.)]\s")  # "1. ", "2) " opening a line
_SEPARATORS = re.compile(r"[,\s]")  # thousands separators in a numeral
_WORD_BREAKS = re.compile(r"[\s-]+")  # between the words of a number or fraction
_HALF_BEFORE = re.compile(r"\b(?:the|first|second|latter|other|and\s+a)\s+$", re.IGNORECASE)
_HALF_AFTER = re.compile(
    r"\s*\(|\s+(?:of|said|say|says|were|are|have|had|would|will|think|thought|believe|believed"
    r"|agreed|agree|support|supported|oppose|opposed|backed|back|blame|blamed)\b"
)


_ONE_BEFORE = re.compile(
    r"\b(?:the|no|any|every|each|this|that|which|any|some|a|another|other)\s+$", re.IGNORECASE
)
_ONE_AFTER = re.compile(
    r"[^\S\n]+(?!(?:of|in|by|or|and|to|at|for|is|was|has|had|who|that|which|another|more|less"
    r"|thing|way|side|point|time|reason|day|week|month|year|hour|another|else|too)\b)[a-z][a-z-]+\b"
)


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Quantity:
    """One figure found in a text, with the span of qualifier + figure + unit.

    unit is "count" or "percent" (fractions and "one in five" are percent); qualifier is the
    hedge's label in lexicon `qualifiers`, "exact" when unhedged.
    """

    value: float
    unit: str
    qualifier: str
    char_start: int
    char_end: int


def _numeral_value(numeral: str) -> float:
    """Value of a digit numeral with any thousands separators."""
    return float(numeral if numeral.isdigit() else _SEPARATORS.sub("", numeral))


def _words_value(words: str) -> float:
    """Value of a number written in words ("three hundred and twenty")."""
    total, current = 0, 0
    for token in _WORD_BREAKS.split(words.lower()):
        if token in ("and", ""):
            continue
        if token == "a":
            current = 1
        elif (unit := _NUMBER_WORDS.label(token)) is not None:
            current += int(unit)
        elif token == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * int(_SCALE_WORDS.label(token) or 1)
            current = 0
    return float(total + current)


def _fraction_share(fraction: str) -> float:
    """Percent a fraction in words denotes ("two-thirds" -> 66.7)."""
    parts = _WORD_BREAKS.split(fraction.lower())
    count = 1 if len(parts) == 1 or parts[0] == "a" else int(_NUMBER_WORDS.label(parts[0]) or 1)
    return round(count * float(_FRACTIONS.label(parts[-1]) or 0), 1)


def _small_number(token: str) -> float:
    """Value of a digit string or a number word."""
    if token.lower() == "hundred":
        return 100.0
    word = _NUMBER_WORDS.label(token)
    return float(word) if word is not None else float(token)


def _qualifier(match: re.Match[str]) -> str:
    """The hedge's label, "exact" when the figure has none."""
    return (_QUALIFIERS.label(match["qual"]) if match["qual"] else None) or "exact"


def _interpret(match: re.Match[str]) -> tuple[float, str, str] | None:
    """(value, unit, qualifier) of a figure match, or None when it denotes nothing."""
    qualifier = _qualifier(match)
    if match["none"]:
        return 0.0, "count", "exact"
    if match["part"]:
        whole = _small_number(match["part_whole"]) if match["part_whole"] else 0.0
        scale = float(_SCALE_WORDS.label(match["part_scale"]) or 1)
        return (whole + _fraction_share(match["part"]) / 100) * scale, "count", qualifier
    bracket = match["ratio_bracket"] or match["fraction_bracket"]
    if bracket:
        return _numeral_value(bracket), "percent", "exact"
    if match["ratio_a"]:
        part, whole = _small_number(match["ratio_a"]), _small_number(match["ratio_b"])
        if not 0 < part < whole:
            return None
        return round(100 * part / whole, 1), "percent", qualifier
    if match["fraction"]:
        return _fraction_share(match["fraction"]), "percent", qualifier
    if match["numeral"]:
        value = _numeral_value(match["numeral"])
        if match["scale"]:
            suffix = match["scale"].strip()
            value *= float(_SCALE_SUFFIXES.label(suffix) or _SCALE_WORDS.label(suffix) or 1)
        return value, "percent" if match["percent"] else "count", qualifier
    value = _words_value(match["words"])
    return value, "percent" if match["word_percent"] else "count", qualifier


def parse_number(s: str) -> float | None:
    """Value of a string that is exactly one figure, without context checks."""
    match = _FIGURE.fullmatch(s.strip())
    if match is None:
        return None
    interpreted = _interpret(match)
    return interpreted[0] if interpreted else None


def _is_one_of_a_noun(text: str, match: re.Match[str]) -> bool:
    """Whether "one" counts the noun after it ("one flight was cancelled"), not a pronoun or a
    phrase ("one of them", "the one", "no one", "one in five", "one another")."""
    before = text[max(0, match.start() - 12) : match.start("words")]
    return not _ONE_BEFORE.search(before) and bool(_ONE_AFTER.match(text, match.end()))


def _ends_with(endings: re.Pattern[str], text: str) -> bool:
    """Whether the text ends with one of the endings, or does before a line break that ends it
    (where "$" also matches)."""
    end = len(text)
    if endings.match(text, end):
        return True
    return text.endswith("\n") and endings.match(text, end - 1) is not None


def _opens_its_line(before: str) -> bool:
    """Whether only spaces and tabs lie between the start of the line (or of `before`) and the
    figure that follows `before`."""
    kept = before.rstrip(" \t")
    return not kept or kept.endswith("\n")


def _is_not_a_quantity(text: str, match: re.Match[str], lowered: str | None = None) -> bool:
    """True when the figure is a date, time, year, age, amount of money, label or duration;
    `lowered` as scan_quantities reads it."""
    end = match.end()
    after = text[end : end + 40]
    if match["none"] or match["part"]:
        return False
    if lowered is None:
        duration_after = _DURATION_AFTER.match(after)
    else:
        duration_after = _LOWER_CASE_DURATION_AFTER.match(lowered, end, end + 40)
    if duration_after or (after[:1].isalpha() and not match["percent"]):
        return True
    if after[:1] in "/:" and after[1:2].isdigit():
        return True
    if match["fraction"] and not match["fraction_bracket"]:
        bare_half = match["fraction"].lower() == "half"
        if bare_half and not match["qual"]:
            before = text[max(0, match.start() - 20) : match.start()]
            if _HALF_BEFORE.search(before) or not _HALF_AFTER.match(after):
                return True
        return bool(_PART_OF_A_UNIT.match(after))
    if not (match["numeral"] or match["words"]):
        return False
    start = match.start("numeral") if match["numeral"] else match.start("words")
    before = text[max(0, start - 40) : start]
    if match["words"]:
        if match["words"].lower() == "one" and not _is_one_of_a_noun(text, match):
            return True
        return bool(_DATE_AFTER.match(after) or _TIME_AFTER.match(after))
    numeral = match["numeral"]
    if _ends_with(_LABEL_BEFORE, before):
        return True
    if match["percent"] or match["scale"]:
        return bool(_MONEY_AFTER.match(after))
    if _MONEY_TIME_OR_DATE_AFTER.match(after):
        return True
    # a month is written with a capital, and a search for a month alone is the faster one; a
    # date before the figure opens with a month, so at or after the first one
    month = _A_MONTH.search(before) if not before.islower() else None
    if month and _DATE_BEFORE.search(before, month.start()):
        return True
    digits = numeral.replace(".", "")
    if numeral.startswith("0") and len(digits) > 1:
        return True  # phone numbers and 24-hour clock times such as 0800
    is_year_shaped = len(numeral) == 4 and numeral.isdigit() and 1800 <= int(numeral) <= 2099
    if is_year_shaped and not match["qual"] and not _PLURAL_NOUN_AFTER.match(after):
        return True
    if _opens_its_line(before) and _LIST_NUMBER_AFTER.match(after):
        return True
    if before.endswith("[") and after.startswith("]"):
        return True  # a footnote mark: "36 per cent [2] of"
    return bool(
        numeral.isdigit()
        and int(numeral) <= 120
        and not match["qual"]
        and "," in before[-3:]  # what _AGE_BEFORE ends with, a cheap test first
        and _AGE_BEFORE.search(before)
        and _AGE_AFTER.match(after)
    )


# Lower-case words a figure can open with; anything else opening a figure is a digit.
FIGURE_CORE_WORDS = frozenset(
    {word.lower() for word in _NUMBER_WORDS.labels}
    | {word.lower() for word in _FRACTIONS.labels}
    | {"a", "no"}
)
FIGURE_FIRST_WORDS = FIGURE_CORE_WORDS | {
    phrase.split()[0].rstrip(".").lower() for phrase in _QUALIFIERS.labels
}
# What follows a hedge where it opens a figure: a digit or a word of FIGURE_CORE_WORDS.
_FIGURE_AFTER_HEDGE = rf"\s*(?:\d|(?i:{alternation(sorted(FIGURE_CORE_WORDS))})\b)"
# A figure opening with any other of FIGURE_FIRST_WORDS opens with a hedge ("in excess of"),
# so it is only worth trying where this matches.
HEDGE_OPENS = re.compile(rf"{_QUALIFIERS.pattern()}\s{_FIGURE_AFTER_HEDGE}")


def _hedge_rests() -> dict[str, str]:
    """For each first word of a hedge, a regex of what follows it where HEDGE_OPENS matches."""
    rests: dict[str, list[str]] = {}
    for phrase in _QUALIFIERS.labels:
        first = phrase.split()[0].rstrip(".").lower()
        rests.setdefault(first, []).append(phrase.lower()[len(first) :])
    return {
        first: rf"(?i:{alternation(tails)})\s{_FIGURE_AFTER_HEDGE}"
        for first, tails in rests.items()
    }


# What must follow the first word of a hedge for it to open a figure: "in" + " excess of 5".
HEDGE_RESTS = _hedge_rests()
# What must follow "a" for a figure to open with it: a fraction or a scale ("a third", "a
# million", "a half million"), or the rest of a hedge ("a minimum of").
A_FIGURE_GOES_ON = rf"[\s-]+(?:{_FRACTIONS.pattern()}|{_SCALE_WORD})|{HEDGE_RESTS['a']}"


def scan_quantities(
    text: str, word_starts: Iterable[int], lowered: str | None = None
) -> tuple[Quantity, ...]:
    """Every quantity of a normalised text, trying only the given word starts. `lowered`, the
    text lower-cased (textnorm.lower_same_length) when that is also its folded form (no
    look-alike of an ASCII letter in it: scanning.folded), is read with a faster pattern that
    finds the same figures, whose words differ from the text's only in case, which nothing that
    reads them minds."""
    found = []
    if lowered is None:
        figures = finditer_at(_FIGURE, text, word_starts)
    else:
        figures = finditer_at(_LOWER_CASE_FIGURE, lowered, word_starts)
    for match in figures:
        if _is_not_a_quantity(text, match, lowered):
            continue
        interpreted = _interpret(match)
        if interpreted is not None:
            value, unit, qualifier = interpreted
            found.append(Quantity(value, unit, qualifier, match.start(), match.end()))
    return tuple(found)
