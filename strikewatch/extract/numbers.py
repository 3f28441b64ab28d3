"""Figures as English news writes them: digits, words, fractions, percentages, hedges.

API:
    parse_number(s) -> float | None
        The value of one figure written alone ("100,000", "89 000", "2.5m", "three hundred",
        "64 per cent" -> 64.0, "a quarter" -> 25.0, "one in five (18%)" -> 18.0). No context
        checks; None when `s` is not exactly one figure.
    find_quantities(text, start=0, end=None) -> list[Quantity]
        Every figure starting in text[start:end], in order. Figures that are not quantities are
        left out: years, ages ("Dr Jo Bloggs, 36"), money ("£22bn", "£7.20"), odds and ratios
        written with "/" ("6/1"), phone numbers, clock times ("08:00", "8am"), dates
        ("26 January", "December 15"), durations ("48-hour", "24 hours"), ordinals ("26th"),
        labels ("Ward 11", "NHS 111", "Covid-19").
    Quantity(value, unit, qualifier, char_start, char_end)
        unit is "count" or "percent" (fractions and "one in five" are percent);
        qualifier is one of QUALIFIERS ("exact" when unhedged); text[char_start:char_end]
        covers qualifier + figure + unit, e.g. "more than half (54%)", "just over 15,800".
        A fraction with its exact share in brackets takes the bracketed value, qualifier exact.
    MONTH_NAME: compiled regex matching a capitalised month name or abbreviation.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from strikewatch.extract.scanning import WORD, finditer_at

QUALIFIERS = ("exact", "more_than", "over", "nearly", "almost", "about", "at_least", "up_to")

_QUALIFIER_WORDS = {
    "more than": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "just over": "over",
    "well over": "over",
    "over": "over",
    "nearly": "nearly",
    "just under": "nearly",
    "close to": "nearly",
    "almost": "almost",
    "about": "about",
    "approximately": "about",
    "approx.": "about",
    "approx": "about",
    "around": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "circa": "about",
    "at least": "at_least",
    "a minimum of": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "up to": "up_to",
    "as many as": "up_to",
    "fewer than": "up_to",
    "less than": "up_to",
    "no more than": "up_to",
    "at most": "up_to",
    "under": "up_to",
}

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX_SCALE = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, **_SCALE_WORDS}
_FRACTION_SHARE = {
    "half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0,
    "quarters": 25.0, "fifth": 20.0, "fifths": 20.0, "sixth": 100 / 6, "sixths": 100 / 6,
    "eighth": 12.5, "eighths": 12.5, "tenth": 10.0, "tenths": 10.0,
}  # fmt: skip


def _alternation(words: object) -> str:
    """Regex alternation of words, longest first, with spaces matching any whitespace."""
    ordered = sorted(words, key=len, reverse=True)  # type: ignore[arg-type]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_WORD = _alternation(_UNITS_WORDS)
_WORD_NUMBER = (
    rf"(?:(?:{_WORD}|a)[\s-]+(?:hundred|thousand|million|billion)\b|(?:{_WORD})\b)"
    rf"(?:[\s-]+(?:and\s+)?(?:{_WORD}|hundred|thousand|million|billion)\b)*"
)
_SEP_SPACE = "[ \u00a0\u2009\u202f]"
_NUMERAL = (
    r"(?<![\w£$€/:.])"
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?![\d,])|\d{{1,3}}(?:{_SEP_SPACE}\d{{3}})+(?!\d)"
    r"|\d{1,3},\s\d{3}(?![\d,])|\d+)(?:\.\d+)?"
)
_SCALE = r"(?:\s?(?:bn|m|k)|\s(?:million|billion|thousand))(?![\w])"
_PERCENT = r"(?:\s?%|\s?per\s?cent\b|\s?percent\b|\s?pc\b)"


def _bracketed_percent(group: str) -> str:
    """Regex for an exact share in brackets after a fraction: "(54%)"."""
    return rf"\s*\(\s*(?P<{group}>{_NUMERAL}){_PERCENT}\s*\)"


_FRACTION_WORD = "|".join(_FRACTION_SHARE)

_FIGURE = re.compile(
    rf"\b(?:(?P<qual>{_alternation(_QUALIFIER_WORDS)})\s+)?"
    r"(?:"
    rf"(?P<ratio_a>{_WORD}|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?"
    rf"(?P<ratio_b>{_WORD}|hundred|\d{{1,4}})\b(?:{_bracketed_percent('ratio_bracket')})?"
    rf"|(?P<fraction>(?:(?:a|one|two|three|four|five|seven|nine)[\s-]+)?(?:{_FRACTION_WORD}))\b"
    rf"(?:{_bracketed_percent('fraction_bracket')})?"
    rf"|(?P<numeral>{_NUMERAL})(?P<scale>{_SCALE})?(?P<percent>{_PERCENT})?"
    rf"|(?P<words>{_WORD_NUMBER})(?P<word_percent>\s+per\s?cent\b)?"
    r")",
    re.IGNORECASE,
)

MONTH_NAME = re.compile(
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
_MONTH = MONTH_NAME.pattern
_DATE_AFTER = re.compile(
    rf"(?:st|nd|rd|th)?(?:[^\S\n]*(?:-|–|to|and|&)[^\S\n]*\d{{1,2}}(?:st|nd|rd|th)?)?[^\S\n]+(?:of[^\S\n]+)?{_MONTH}"
)
_DATE_BEFORE = re.compile(
    rf"{_MONTH}[^\S\n]+(?:\d{{1,2}}(?:st|nd|rd|th)?[^\S\n]*(?:-|–|to|and|&|,)[^\S\n]*)?$|{_MONTH},?[^\S\n]+\d{{1,2}}"
    r"(?:st|nd|rd|th)?,?[^\S\n]+$"
)
_DURATION_AFTER = re.compile(
    r"[\s-]?(?:hours?|hrs?|days?(?![\s-]cases?)|weeks?|months?|years?|minutes?|mins?|seconds?"
    r"|nights?)\b"
    r"|[\s-]year[\s-]old",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"\s?(?:am|pm|a\.m\.|p\.m\.|o'clock|hrs|bst|gmt)\b|[:.]\d\d", re.I)
_MONEY_AFTER = re.compile(r"\s?(?:pounds?|pence|p|dollars?|euros?)\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(
    r"\b(?:NHS|Ward|Bed|Room|Page|No\.?|Number|Article|Section|Level|Band|Year|Chapter|Clause"
    r"|Schedule|Part|Platform|Channel|Radio|Route|Junction|call|dial|ring|tel\.?|telephone"
    r"|phone|Figure|Table)\s$|[A-Za-z]-$|[£$€]\s?$|\+$|\d[ \u00a0-]$|\d,\s$|\baged\s$"
)
_AGE_BEFORE = re.compile(r"[A-Z][\w'’-]+,\s$")
_AGE_AFTER = re.compile(
    r"(?:,|\.|;|\)|$|\s+(?:from|of|who|said|says|told|and|a|an|the|is|was|has)\b)"
)
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*$")
_PLURAL_NOUN_AFTER = re.compile(r"\s+[a-z]+s\b")
_HALF_BEFORE = re.compile(r"\b(?:the|first|second|latter|other|and\s+a)\s+$", re.IGNORECASE)
_HALF_AFTER = re.compile(
    r"\s*\(|\s+(?:of|said|say|says|were|are|have|had|would|will|think|thought|believe|believed"
    r"|agreed|agree|support|supported|oppose|opposed|backed|back|blame|blamed)\b"
)


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text, with the span of qualifier + figure + unit."""

    value: float
    unit: str
    qualifier: str
    char_start: int
    char_end: int


def _numeral_value(numeral: str) -> float:
    """Value of a digit numeral with any thousands separators."""
    return float(re.sub(r"[,\s\u00a0\u2009\u202f]", "", numeral))


def _words_value(words: str) -> float:
    """Value of a number written in words ("three hundred and twenty")."""
    total, current = 0, 0
    for token in re.split(r"[\s-]+", words.lower()):
        if token in ("and", ""):
            continue
        if token == "a":
            current = 1
        elif token in _UNITS_WORDS:
            current += _UNITS_WORDS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALE_WORDS[token]
            current = 0
    return float(total + current)


def _fraction_share(fraction: str) -> float:
    """Percent a fraction in words denotes ("two-thirds" -> 66.7)."""
    parts = re.split(r"[\s-]+", fraction.lower())
    count = 1 if len(parts) == 1 or parts[0] == "a" else _UNITS_WORDS[parts[0]]
    return round(count * _FRACTION_SHARE[parts[-1]], 1)


def _small_number(token: str) -> float:
    """Value of a digit string or a number word."""
    token = token.lower()
    if token == "hundred":
        return 100.0
    return float(_UNITS_WORDS[token]) if token in _UNITS_WORDS else float(token)


def _interpret(match: re.Match[str]) -> tuple[float, str, str] | None:
    """(value, unit, qualifier) of a figure match, or None when it denotes nothing."""
    qualifier = (
        _QUALIFIER_WORDS[re.sub(r"\s+", " ", match["qual"].lower())] if match["qual"] else "exact"
    )
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
            value *= _SUFFIX_SCALE[match["scale"].strip().lower()]
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


def _is_not_a_quantity(text: str, match: re.Match[str]) -> bool:
    """True when the figure is a date, time, year, age, amount of money, label or duration."""
    end = match.end()
    after = text[end : end + 40]
    if _DURATION_AFTER.match(after) or (after[:1].isalpha() and not match["percent"]):
        return True
    if after[:1] in "/:" and after[1:2].isdigit():
        return True
    if match["fraction"] and not match["fraction_bracket"]:
        bare_half = match["fraction"].lower() == "half"
        if bare_half and not match["qual"]:
            before = text[max(0, match.start() - 20) : match.start()]
            if _HALF_BEFORE.search(before) or not _HALF_AFTER.match(after):
                return True
        return bool(re.match(r"\s+of\s+an?\s+(?:hour|mile|day|century)", after))
    if not (match["numeral"] or match["words"]):
        return False
    start = match.start("numeral") if match["numeral"] else match.start("words")
    before = text[max(0, start - 40) : start]
    if match["words"]:
        return match["words"].lower() == "one" or bool(
            _DATE_AFTER.match(after) or _TIME_AFTER.match(after)
        )
    numeral = match["numeral"]
    if _LABEL_BEFORE.search(before) or _MONEY_AFTER.match(after):
        return True
    if match["percent"] or match["scale"]:
        return False
    if _TIME_AFTER.match(after) or _DATE_AFTER.match(after) or _DATE_BEFORE.search(before):
        return True
    digits = numeral.replace(".", "")
    if numeral.startswith("0") and len(digits) > 1:
        return True  # phone numbers and 24-hour clock times such as 0800
    is_year_shaped = len(numeral) == 4 and numeral.isdigit() and 1800 <= int(numeral) <= 2099
    if is_year_shaped and not match["qual"] and not _PLURAL_NOUN_AFTER.match(after):
        return True
    if _LIST_MARKER.search(before) and re.match(r"[.)]\s", after):
        return True
    return bool(
        numeral.isdigit()
        and int(numeral) <= 120
        and not match["qual"]
        and _AGE_BEFORE.search(before)
        and _AGE_AFTER.match(after)
    )


# Lower-case words a figure can open with; anything else opening a figure is a digit.
_FIGURE_FIRST_WORDS = frozenset(
    {qualifier.split()[0].rstrip(".") for qualifier in _QUALIFIER_WORDS}
    | set(_UNITS_WORDS)
    | set(_FRACTION_SHARE)
    | {"a"}
)


def _figure_starts(text: str) -> list[int]:
    """Where _FIGURE may match: at words that are digits or one of _FIGURE_FIRST_WORDS."""
    # Case-folding lets a few non-ASCII letters match ASCII ones, so those words are tried too.
    return [
        word.start()
        for word in WORD.finditer(text)
        if word[0][0].isdigit() or word[0].lower() in _FIGURE_FIRST_WORDS or not word[0].isascii()
    ]


@functools.lru_cache(maxsize=8)
def _all_quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity of a text; cached so that extractors reading one article share a scan."""
    found = []
    for match in finditer_at(_FIGURE, text, _figure_starts(text)):
        if _is_not_a_quantity(text, match):
            continue
        interpreted = _interpret(match)
        if interpreted is not None:
            value, unit, qualifier = interpreted
            found.append(Quantity(value, unit, qualifier, match.start(), match.end()))
    return tuple(found)


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity whose span starts in text[start:end], in text order."""
    found = _all_quantities(text)
    stop = len(text) if end is None else end
    low = bisect.bisect_left(found, start, key=_start_of)
    return list(found[low : bisect.bisect_left(found, stop, key=_start_of)])


def _start_of(quantity: Quantity) -> int:
    """Sort key: where a quantity starts."""
    return quantity.char_start


# ------------------------------------------------ where figures sit: sentences, clauses, places

_SENTENCE_END = re.compile(
    r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9£])|\n+|(?<=[a-z)'’”])(?=published at \d)"
    r"|(?<=\d{4})(?=[A-Z])"
)
_CLAUSE_BREAK = re.compile(r"[,;:()]\s|\s[–—-]\s|[“”\"]")
_PLACE = re.compile(
    r"\b(?:NHS\s+)?(?P<place>Northern Ireland|Greater Manchester|Greater London|West Midlands"
    r"|East Midlands|the Midlands|North West|North East|South West|South East|East of England"
    r"|Yorkshire(?: and the Humber)?|England|Scotland|Wales|London|Manchester|Birmingham"
    r"|Leeds|Liverpool|Bristol|Sheffield|Newcastle|Nottingham|Leicester|Cornwall|Kent|Essex"
    r"|Sussex|Surrey|Devon|Cumbria|Lancashire|Merseyside|Cambridge|Oxford|the UK|Britain)"
    r"(?:['’]s)?\b"
)


_BULLETS = "•*·▪–—-"
MAX_SENTENCE_CHARS = 1000  # a longer run without a full stop is cut, keeping the work linear


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences (or lines) of text[start:end], whitespace trimmed."""
    return list(_sentence_spans(text, start, len(text) if end is None else end))


@functools.lru_cache(maxsize=8)
def _sentence_spans(text: str, start: int, stop: int) -> tuple[tuple[int, int], ...]:
    """Sentence spans of text[start:stop]; cached so that extractors reading one article share
    a split."""
    spans, begin = [], start
    for match in _SENTENCE_END.finditer(text, start, stop):
        cut = match.start() + 1 if text[match.start()] in ".!?" else match.start()
        spans.append((begin, cut))
        begin = match.end() if text[match.start()] in ".!?\n" else match.start()
    spans.append((begin, stop))
    spans = [
        (piece, min(right, piece + MAX_SENTENCE_CHARS))
        for left, right in spans
        for piece in range(left, right, MAX_SENTENCE_CHARS)
    ]
    trimmed = []
    for left, right in spans:
        while left < right and (text[left].isspace() or text[left] in _BULLETS):
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if right > left:
            trimmed.append((left, right))
    return tuple(trimmed)


def clause_around(text: str, sentence: tuple[int, int], left: int, right: int) -> tuple[int, int]:
    """Smallest span between clause breaks of the sentence that holds text[left:right]."""
    begin, stop = sentence
    clause_start, clause_end = begin, stop
    for match in _CLAUSE_BREAK.finditer(text, begin, stop):
        if match.end() <= left:
            clause_start = match.end()
        elif match.start() >= right:
            clause_end = match.start()
            break
    while clause_end > clause_start and text[clause_end - 1] in " .,;:":
        clause_end -= 1
    return clause_start, max(clause_end, right)


def nearest_place(text: str, sentence: tuple[int, int], position: int) -> str | None:
    """The place named in the sentence nearest to position ("NHS England" counts as England)."""
    places = [
        (abs(m.start() - position), m["place"].removeprefix("the ").strip())
        for m in _PLACE.finditer(text, *sentence)
    ]
    return min(places)[1] if places else None


def starts_in(spans: Sequence[tuple[int, int]], position: int) -> bool:
    """Whether position falls inside any of the [start, end) spans."""
    return any(left <= position < right for left, right in spans)
