"""Who turned up: shares of staff working or out, absent counts, staff expected to strike.

A figure is attendance when it counts staff (its own noun: "3,180 doctors", "82 percent of all
drivers", "8.45% of strikers"; or the staff of the figure it is listed with: "2,400 at the mill,
1,700 at the depot") and the words after that noun say they stayed away or worked ("walked out",
"were striking", "downed tools", "reported for duty"), or the sentence gives a strike rate ("the
rate of striking nurses was 31.4%, including 33.8% in community care ..."). A count said in the
future or as a claim ("will go on strike", "are expected to strike", "could see 1,200 midwives
withdraw their labour") is staff expected to strike (metric `doctors_expected`, for any staff),
unless the article is dated on the first day of the strike it announces. Votes, forecasts of
shares, pay, workforce sizes and changes are not attendance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.figures import (
    Segments,
    article_country,
    aside_after,
    counts_other_noun,
    is_bare_fraction,
    is_set_aside,
    noun_after,
    opens_list_element,
    own_place,
    segments,
    source_place,
    top_lines,
)
from strikewatch.extract.numbers import Quantity
from strikewatch.goldformat import as_text, provenance
from strikewatch.lexicon import lexicon

_STAFF = lexicon("attendance_staff").pattern()
_EXPECTED_BEFORE = re.compile(r"\b(?:out\s+of\s+)?of\s+a\s+possible\s+$", re.IGNORECASE)
_EXPECTED_AFTER = re.compile(
    rf"\s+(?:[\w-]+\s+){{0,3}}?(?:{_STAFF})\s+(?:who\s+)?(?:were\s+|are\s+|was\s+|had\s+been\s+)?"
    rf"(?:{lexicon('rostered_words').pattern()}|{lexicon('forecast_words').pattern(labels=('expect',))})"
    r"\s+(?:to\s+(?:be\s+)?)?(?:in|at|to)\s+work"
    r"|\s+working\s+on\s+a\s+(?:typical|normal|usual)\s+day",
    re.IGNORECASE,
)
# _EXPECTED_AFTER's matches hold only words, spaces and hyphens, and "work" and one of these
_EXPECTED_WORDS = ("due", "rostered", "scheduled", "expect", "working")
_NOT_IN_PHRASE = re.compile(r"[^\w\s-]")
_COLON_LABEL = re.compile(rf":\s+(?:[A-Z][\w-]*\s+)?(?:{_STAFF})\b", re.IGNORECASE)
_STRIKERS_INCLUDE = re.compile(
    r"\b(?:strikers|those\s+on\s+strike)\s+(?:include|included|numbered|number|were|are)\s+$",
    re.IGNORECASE,
)
_STRIKERS_VERBS = ("include", "included", "numbered", "number", "were", "are")  # its last words
_ANAPHORA = re.compile(  # "That came to 2,140 guards": the sentence before says what they did
    # (read in the folded text: in any case, without the flag)
    r"(?:this|that|it|which)\s+(?:amounted|amounts|came|comes|represents|represented|was|is)\b"
)
_RATE_FOR = re.compile(r"\brate\s+(?:for|among)\s+(?:[\w-]+\s+){0,3}?(?:" + _STAFF + r")\b", re.I)
_OF_STRIKERS = re.compile(rf"\s+of\s+(?:the\s+)?(?:{lexicon('striker_words').pattern()})\b")
_ATTENDING = re.compile(  # "were attending the regional walkouts", "joined the walkout"
    r"\b(?:attend(?:ing|ed|s)?|join(?:ing|ed|s)?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:strikes?|walkouts?|stoppages?|(?:industrial\s+)?action)\b",
    re.IGNORECASE,
)
_NUMBER_OF = re.compile(
    rf"\b(?:number|total|count)\s+of\s+(?:[\w-]+\s+){{0,3}}?(?:{_STAFF})\b", re.IGNORECASE
)
_COULD_SEE = re.compile(r"\b(?:could|would|will|may|might)\s+see\s+$", re.IGNORECASE)
_TO_STRIKE = re.compile(r"\bto\s+(?:go|walk|strike|stage)\b", re.IGNORECASE)
_WILL_BE_ON_STRIKE = re.compile(r"\bwill\s+be\s+on\s+strike\b", re.IGNORECASE)
_OF_SOMETHING = re.compile(r"\s+of\s+(?!them\b|whom\b)")
_BRACKETED_COUNT = re.compile(r"\s*\(\s*[\d,.]+\s*\)")
_NOT_ATTENDANCE = ("ballot_words", "poll_words", "not_attendance_words")
_ROSTERED_BEFORE = re.compile(
    rf"\b(?:{lexicon('rostered_words').pattern()}|expected|supposed)\s+(?:to\s+be\s+)?$",
    re.IGNORECASE,
)
_DUE_TO = re.compile(r"\bdue\s+to\s+(?:be|strike|walk|go|stage|take)\b", re.IGNORECASE)
_SHARE_OF_BEFORE = re.compile(r"\bof\s+(?:its|their|the|his|her|our)\s+$", re.IGNORECASE)
_OWNERS = ("its", "their", "the", "his", "her", "our")  # the words _SHARE_OF_BEFORE ends with
_AMONG_STAFF = re.compile(rf"\s+among\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?:{_STAFF})\b", re.I)
_STRIKERS_BEFORE = re.compile(r"\b(?:strikers|on\s+strike|striking)\b", re.IGNORECASE)
# What _said_of_staff needs in a span: a phrase of these lexicons or one of these words.
_STAFF_SAID_TERMS, _STAFF_SAID_WORDS = ("absent_phrases", "present_phrases"), ("attend", "join")
# What a figure's readings other than _EXPECTED_AFTER need in its sentence: a phrase of these
# lexicons, or one of these words (_EXPECTED_BEFORE, _ATTENDING, _RATE_FOR, _AMONG_STAFF,
# _STRIKERS_INCLUDE, _OF_STRIKERS).
_SAID_TERMS = ("absent_phrases", "present_phrases", "strike_rate_words")
_READING_WORDS = (
    "possible",
    "attend",
    "join",
    "rate",
    "among",
    "those",
    *lexicon("striker_words").first_words(),
)
QUOTED_FRAGMENT_CHARS = 80
RATE_CONTEXT = 300  # how far before a "rate for teachers" sentence a strike may be named
# A clause break: ";", ", but" (while, whereas, although), " - ", the end of a sentence or "but";
# opening with the one class of the characters a break can start with (see cancellations).
_CLAUSE_CUT = re.compile(
    r"[;,\s.b](?:(?<=;)|(?<=,)\s+(?:but|while|whereas|although)\b|(?<=\s)-\s|(?<=\.)(?:\s|[A-Z])"
    r"|(?<=\bb)ut\b)"
)
PREDICATE_REACH = 160  # how far after the staff noun the verb saying what they did may come
PLACE_REACH = 600  # how far (characters) a figure without a place takes the last fact's place


@dataclass(kw_only=True, unsafe_hash=True, slots=True)
class Attendance(Fact):
    """A figure of who worked or stayed away."""

    metric: str
    value: float
    unit: str
    as_of: dt.date | None
    geography: str | None


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class _Taken:
    figure: Quantity
    metric: str
    place: str | None


def _staff_after(doc: Analysis, figure: Quantity, end: int) -> int | None:
    """Where the staff noun the figure counts ends, when it follows the figure."""
    start = figure.char_end
    bracket = _BRACKETED_COUNT.match(doc.norm, start, end)
    if bracket:  # "78% (21,600) of staff": the share's staff come after its count
        start = bracket.end()
    phrase = noun_after(doc, start, end, _STAFF)
    if phrase is not None:
        return phrase.end
    label = _COLON_LABEL.match(doc.norm, figure.char_end, end)
    return label.end() if label else None


def _said_of_staff(doc: Analysis, start: int, end: int) -> tuple[str, int] | None:
    """("absent" or "present", where the phrase ends) for the first such phrase in [start,
    end), or None."""
    said = [(term.start, "absent", term.end) for term in doc.terms_in("absent_phrases", start, end)]
    said += [
        (term.start, "present", term.end)
        for term in doc.terms_in("present_phrases", start, end)
        # "doctors due in work": who should have worked, not who did
        if not _ROSTERED_BEFORE.search(doc.norm, max(start, term.start - 25), term.start)
    ]
    if doc.folded.find("attend", start, end) >= 0 or doc.folded.find("join", start, end) >= 0:
        said += [(m.start(), "absent", m.end()) for m in _ATTENDING.finditer(doc.norm, start, end)]
    if not said:
        return None
    _, kind, phrase_end = min(said)
    return kind, phrase_end


def _said_after_staff(doc: Analysis, staff_end: int, sentence: Sentence) -> tuple[str, int] | None:
    """What the words after a staff noun say its staff did, up to the next clause, within
    reach, stepping over an aside ("52% of doctors - out of a possible 9,300 - turned up")."""
    start = staff_end
    aside = aside_after(doc, staff_end, sentence.end)
    if aside is not None:
        start = aside[1]
    end = min(sentence.end, start + PREDICATE_REACH)
    cut = _CLAUSE_CUT.search(doc.norm, start, end)
    return _said_of_staff(doc, start, cut.start() if cut else end)


def _expected_after(doc: Analysis, figure: Quantity) -> bool:
    """Whether the staff expected at work follow the figure (_EXPECTED_AFTER), tried only where
    the words that pattern needs come before the next mark."""
    start, folded = figure.char_end, doc.folded
    mark = _NOT_IN_PHRASE.search(doc.norm, start)
    end = mark.start() if mark else len(doc.norm)
    return (
        folded.find("work", start, end) >= 0
        and any(folded.find(word, start, end) >= 0 for word in _EXPECTED_WORDS)
        and bool(_EXPECTED_AFTER.match(doc.norm, start))
    )


def _ends_with(doc: Analysis, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether the text in [start, end) ends with one of the (lower-case) words and spaces: what
    a pattern anchored at the end with one of them and spaces needs (a cheap test first)."""
    folded = doc.folded[start:end]
    return folded[-1:].isspace() and folded.rstrip().endswith(words)


def _is_future(doc: Analysis, start: int, figure: Quantity, phrase_end: int) -> bool:
    """A count said as a forecast or a claim: a forecast word between the start of its clause
    and the end of the verb, or "could see" before it."""
    lead_start = max(0, figure.char_start - 30)
    return (
        doc.has("forecast_words", start, phrase_end)
        or (
            _ends_with(doc, lead_start, figure.char_start, ("see",))
            and bool(_COULD_SEE.search(doc.norm[lead_start : figure.char_start]))
        )
        or bool(_DUE_TO.search(doc.norm, start, phrase_end))
    )


def strike_under_way(doc: Analysis, strikes: list) -> bool:
    """Whether the article is dated on a day a strike it reports begins: a held strike that
    starts that day, or a headline saying staff strike now ("Drivers go on strike")."""
    if doc.published is None:
        return False
    if any(
        s.status == "held" and s.starts_at is not None and s.starts_at.date() == doc.published
        for s in strikes
    ):
        return True
    headline = next(top_lines(doc), None)
    if headline is None or doc.has("forecast_words", *headline):
        return False
    other_days = [d for d in doc.dates_in(*headline) if d.start != doc.published]
    return (
        doc.has("absent_phrases", *headline)
        and not other_days
        and not _TO_STRIKE.search(doc.norm, *headline)
    )


def _counted_before(doc: Analysis, sentence: Sentence, figure: Quantity) -> tuple[str, int] | None:
    """ "The total of nurses absent ... reached its high on 14 March with 19,450": the staff
    noun and what they did in an earlier clause of the sentence."""
    number = _NUMBER_OF.search(doc.norm, sentence.start, figure.char_start)
    if number is None:
        return None
    return _said_of_staff(doc, number.end(), figure.char_start)


def _metric(
    doc: Analysis,
    sentence: Sentence,
    figures: list[Quantity],
    position: int,
    parts: Segments,
    clause: tuple[int, int],
    taken_here: list[_Taken],
    said_before: str | None,
    under_way: bool,
) -> str | None:
    """Which attendance metric the figure is (`clause` is its clause, which holds no phrase of
    _NOT_ATTENDANCE), or None when it is not attendance."""
    figure, segment = figures[position], parts.spans[position]
    before_start = max(sentence.start, figure.char_start - 40)
    before = doc.norm[before_start : figure.char_start]
    if _in_quoted_fragment(doc, figure):
        return None
    if (
        figure.unit == "count"
        and _ends_with(doc, before_start, figure.char_start, _OWNERS)
        and _SHARE_OF_BEFORE.search(before)
    ):
        return None  # "three-quarters of its 65 doctors": the whole a share is taken of
    if figure.unit == "count" and (
        (
            _ends_with(doc, before_start, figure.char_start, ("possible",))
            and _EXPECTED_BEFORE.search(before)
        )
        or _expected_after(doc, figure)
    ):
        return "doctors_expected"
    staff_end = _staff_after(doc, figure, segment[1])
    if staff_end is None:
        return _metric_of_bare_figure(doc, sentence, figures, position, parts, clause, taken_here)
    if figure.unit == "percent" and _OF_STRIKERS.match(doc.norm, figure.char_end, staff_end):
        return "pct_not_working"
    said = _said_after_staff(doc, staff_end, sentence)
    if (
        said is None
        and said_before
        and _ANAPHORA.search(doc.folded, sentence.start, figure.char_start)
    ):
        said = (said_before, staff_end)
    if said is None:
        return None
    kind, phrase_end = said
    if kind == "present":
        return "pct_working" if figure.unit == "percent" else None
    future = _is_future(doc, clause[0], figure, phrase_end)
    if figure.unit == "percent":
        return None if future else "pct_not_working"
    on_the_day = under_way and _WILL_BE_ON_STRIKE.search(doc.norm, staff_end, phrase_end)
    return "doctors_expected" if future and not on_the_day else "staff_absent"


def _metric_of_bare_figure(
    doc: Analysis,
    sentence: Sentence,
    figures: list[Quantity],
    position: int,
    parts: Segments,
    clause: tuple[int, int],
    taken_here: list[_Taken],
) -> str | None:
    """A figure with no staff noun after it: listed with an attendance figure of its sentence
    ("2,400 at the mill, 1,700 at the depot"; "along with 4,900 at the weekend"), a strike rate,
    "the strikers numbered 260 in Finland", or the count of a "number of staff absent" before it."""
    figure, segment = figures[position], parts.spans[position]
    if counts_other_noun(doc, figure, segment[1]) or _OF_SOMETHING.match(doc.norm, figure.char_end):
        return None  # "60% of the public": a share of something other than staff
    previous = taken_here[-1] if taken_here else None
    if (
        previous is not None
        and previous.metric == "pct_not_working"
        and figure.unit == "count"
        and _BRACKETED_COUNT.fullmatch(doc.norm, previous.figure.char_end, figure.char_end + 1)
    ):
        return "staff_absent"  # "78% (21,600)": the share and the count of the same strikers
    if (
        previous is not None
        and previous.figure.unit == figure.unit
        and (
            parts.hosts[position] is not None
            or opens_list_element(doc, previous.figure.char_end, figure)
        )
    ):
        return previous.metric
    if figure.unit == "percent":
        if _is_strike_rate(doc, sentence, figure, clause) or (
            _AMONG_STAFF.match(doc.norm, figure.char_end)
            and _STRIKERS_BEFORE.search(
                doc.norm, max(sentence.start, figure.char_start - 60), figure.char_start
            )
        ):
            return "pct_not_working"
        return None
    before_start = max(sentence.start, figure.char_start - 40)
    if _ends_with(
        doc, before_start, figure.char_start, _STRIKERS_VERBS
    ) and _STRIKERS_INCLUDE.search(doc.norm[before_start : figure.char_start]):
        return "staff_absent"
    counted = _counted_before(doc, sentence, figure)
    if counted is None or counted[0] != "absent":
        return None
    return (
        "doctors_expected"
        if _is_future(doc, sentence.start, figure, figure.char_start)
        else "staff_absent"
    )


def _in_quoted_fragment(doc: Analysis, figure: Quantity) -> bool:
    """A figure inside a few quoted words ("nearly 40% of junior doctors", in quote marks, had
    turned up): someone's wording of a figure, not a statement of it."""
    quotation = doc.quotation_at(figure.char_start)
    if quotation is None:
        return False
    return quotation.end - quotation.start <= QUOTED_FRAGMENT_CHARS and not (
        doc.has("absent_phrases", quotation.start, quotation.end)
        or doc.has("present_phrases", quotation.start, quotation.end)
    )


def _is_strike_rate(
    doc: Analysis, sentence: Sentence, figure: Quantity, clause: tuple[int, int]
) -> bool:
    """A bare share in a sentence that gives a strike rate before it."""
    before = (sentence.start, figure.char_start)
    if doc.has("speculative_words", *clause):
        return False
    return doc.has("strike_rate_words", *before) or bool(
        doc.folded.find("rate", *before) >= 0
        and _RATE_FOR.search(doc.norm, *before)
        and doc.has("strike_terms", max(0, sentence.start - RATE_CONTEXT), sentence.end)
    )


def _evidence_span(
    doc: Analysis, quantity: Quantity, metric: str, clause: tuple[int, int]
) -> tuple[int, int]:
    """The clause stating the figure (`clause`); for an expected total, just its phrase."""
    before_start = max(0, quantity.char_start - 25)
    if metric == "doctors_expected" and _EXPECTED_BEFORE.search(
        doc.norm[before_start : quantity.char_start]
    ):
        phrase_start = doc.norm.rfind("out of", before_start, quantity.char_start)
        if phrase_start < 0:
            phrase_start = doc.norm.rfind("of", before_start, quantity.char_start)
        return phrase_start, quantity.char_end
    return clause


def _may_be_a_fact(doc: Analysis, figure: Quantity) -> bool:
    return not (is_set_aside(doc, figure) or is_bare_fraction(doc, figure))


def extract_attendance(doc: Analysis, found: Found) -> list[Attendance]:
    """Attendance and absence figures, one per mention.

    as_of is a day named in the figure's own words or sentence, else the published date (live
    reporting).
    """
    under_way = strike_under_way(doc, found.get("strike_actions", []))
    document_place: list[str | None] = []  # looked for once a figure needs it
    facts: list[Attendance] = []
    statement: tuple[int, str] | None = None
    last_place: tuple[int, str] | None = None  # the one place of the last sentence's figures
    cues = _Cues(doc, _SAID_TERMS, _READING_WORDS)
    staff_said = _Cues(doc, _STAFF_SAID_TERMS, _STAFF_SAID_WORDS)
    # the last sentence with quantities (its index and them), and whether one is a figure
    # (looked for once needed)
    prior: tuple[int, list[Quantity]] | None = None
    prior_has_figures: bool | None = None
    for index, sentence, quantities in doc.numbered_sentences_with_quantities():
        if prior is None or prior[0] != index - 1:
            prior_has_figures = False  # the sentence before has no quantity
        elif prior_has_figures is None:
            prior_has_figures = any(_may_be_a_fact(doc, q) for q in prior[1])
        # what the staff of the sentence before did, should this one speak of them, when that
        # sentence has no figure
        said_before = None
        if index and not prior_has_figures:
            previous = doc.sentences[index - 1]
            if staff_said.in_sentence(index - 1):
                said = _said_of_staff(doc, previous.start, previous.end)
                said_before = said[0] if said else None
        prior, prior_has_figures = (index, quantities), None
        if not _may_say_attendance(doc, index, sentence, quantities, said_before, cues):
            continue
        figures = [q for q in quantities if _may_be_a_fact(doc, q)]
        prior_has_figures = bool(figures)
        if not figures:
            continue
        parts = segments(doc, sentence, figures)
        taken_here: list[_Taken] = []
        # votes, polls, ...: no figure of a clause that names one is attendance
        not_attendance = [n for n in _NOT_ATTENDANCE if doc.has(n, sentence.start, sentence.end)]
        for position, figure in enumerate(figures):
            segment = parts.spans[position]
            clause = doc.clause_around(sentence, figure.char_start, figure.char_end)
            if not_attendance and any(doc.has(name, *clause) for name in not_attendance):
                continue
            metric = _metric(
                doc, sentence, figures, position, parts, clause, taken_here, said_before, under_way
            )
            if metric is None:
                continue
            start, end = _evidence_span(doc, figure, metric, clause)
            days = [d for d in doc.dates_in(*segment) if d.precision == "day"] or [
                d for d in doc.dates_in(sentence.start, sentence.end) if d.precision == "day"
            ]
            frame = taken_here[-1].figure.char_end if taken_here else sentence.start
            place, own = own_place(doc, figure, segment, frame)
            if place is None and taken_here:
                place, own = taken_here[-1].place, True
            if place is None and last_place and last_place[0] == index - 1:
                place = last_place[1]
            if place is None and statement and figure.char_start - statement[0] < PLACE_REACH:
                place = statement[1]
            if place is None:
                if not document_place:
                    document_place.append(source_place(doc) or article_country(doc))
                place = document_place[0]
            if place is not None and not own:
                statement = (figure.char_start, place)
            facts.append(
                Attendance(
                    char_start=start,
                    char_end=end,
                    metric=metric,
                    value=figure.value,
                    unit=figure.unit,
                    as_of=days[0].start if days else doc.published,
                    geography=place,
                )
            )
            taken_here.append(_Taken(figure, metric, place))
        last_place = _one_place(index, taken_here)
    return facts


class _Cues:
    """The words a reading of a figure as attendance needs in its sentence: the phrases of some
    lexicons (the sentences that hold one are listed once for the document:
    Analysis.sentences_holding), or one of some lower-case strings (looked for in the
    sentence's folded text)."""

    def __init__(self, doc: Analysis, lexicons: tuple[str, ...], strings: tuple[str, ...]) -> None:
        self.holding = set().union(*(doc.sentences_holding(name) for name in lexicons))
        self.doc, self.strings = doc, strings

    def in_sentence(self, index: int) -> bool:
        """Whether one of the phrases or strings lies in the sentence of that index."""
        if index in self.holding:
            return True
        sentence = self.doc.sentences[index]
        words = self.doc.folded[sentence.start : sentence.end]
        for string in self.strings:  # noqa: SIM110 (any() of a generator: twice as slow)
            if string in words:
                return True
        return False


def _may_say_attendance(
    doc: Analysis,
    index: int,
    sentence: Sentence,
    quantities: list[Quantity],
    said_before: str | None,
    cues: _Cues,
) -> bool:
    """Whether a figure of the sentence (of that index) may be read as attendance: the sentence
    before says what staff did, or the sentence holds words one of the readings needs (what
    staff did, a strike rate, "strikers", "of a possible", ...), or a count is followed by the
    staff who were expected at work (_EXPECTED_AFTER, which may run past the sentence)."""
    if said_before is not None or cues.in_sentence(index):
        return True
    counts = [quantity for quantity in quantities if quantity.unit == "count"]
    if not counts:
        return False
    # _EXPECTED_AFTER's words lie before the mark after a count: in the sentence, when it ends
    # with one after its counts
    tail = doc.norm[counts[-1].char_end : sentence.end].rstrip()
    if (
        tail
        and _NOT_IN_PHRASE.match(tail[-1])
        and "work" not in doc.folded[counts[0].char_end : sentence.end]
    ):
        return False
    return any(_expected_after(doc, count) and _may_be_a_fact(doc, count) for count in counts)


def _one_place(index: int, taken: list[_Taken]) -> tuple[int, str] | None:
    """The place every figure of a sentence is tied to, if they share one: the next sentence's
    figures continue it ("... 38% of teachers in Wales. The rate in secondaries was 41%")."""
    places = {t.place for t in taken}
    if len(places) != 1 or None in places:
        return None
    return index, places.pop()  # type: ignore[return-value]


def to_gold(row: dict) -> dict:
    """An extracted.attendance row in the gold's terms."""
    return {
        **provenance(row),
        "metric": row.get("metric"),
        "value": row.get("value"),
        "unit": row.get("unit"),
        "date": as_text(row.get("as_of")),
        "geography": row.get("geography"),
    }


FACT_TYPE = FactType(
    name="attendance",
    table="attendance",
    record=Attendance,
    extract=extract_attendance,
    gold_fields=("metric", "value", "unit", "date", "geography"),
    match_key=("value", "metric"),
    to_gold=to_gold,
    colour="#2ca02c",
)
