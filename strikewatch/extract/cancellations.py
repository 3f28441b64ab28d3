"""Cancelled, postponed or closed: "hospitals cancelled more than 45,000 appointments".

A figure is a cancellation when it counts something that can be called off (operations, trains,
flights, classes; schools and stores that close) and the words around it say it was: its own
predicate ("14.2 per cent were closed", "315 flights"+"had cancelled"), a verb the sentence's list
of figures shares ("1,500 X, 2,600 Y and 700 Z will be postponed"), the heading and lead of the
table it is a row of, or, for a sentence that carries on the one before ("Another 6,300 ...",
"there were 20 inpatient and 30 outpatient ...", "Operator (4.1 per cent)"), the figure before it.
What the text says is still running, only affected, a change ("35 per cent higher"), a
speculation ("could"), a claim, a bound with no qualifier ("fewer than") or cut off by the end of
the excerpt is left out, as is a figure in words that only echoes a figure given in digits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.figure_periods import (
    SentenceDays,
    counted_strike_days,
    covered_strike_days,
    figure_period,
    named_strike_days,
    planned_strike_days,
)
from strikewatch.extract.figures import (
    article_country,
    counts_other_noun,
    is_bare_fraction,
    is_set_aside,
    noun_after,
    opens_list_element,
    own_place,
    place_in,
    segments,
    source_place,
    written_in_words,
)
from strikewatch.extract.numbers import Quantity
from strikewatch.goldformat import as_text, provenance
from strikewatch.lexicon import lexicon

_CANCEL_NOUNS = lexicon("cancel_words").pattern(labels=("noun",))
_CANCEL_HEADS = rf"{lexicon('cancelled_items').pattern()}|{_CANCEL_NOUNS}"
_CLOSURE_HEADS = lexicon("closure_items").pattern()
_ITEM_HEADS = rf"{_CANCEL_HEADS}|{_CLOSURE_HEADS}"
_IS_CLOSURE_HEAD = re.compile(rf"(?:{_CLOSURE_HEADS})$", re.IGNORECASE)
_CLOSURE_LAST_WORDS = tuple({p.split()[-1].lower() for p in lexicon("closure_items").phrases})
_MODIFIERS_BEFORE = re.compile(  # up to two words before a noun
    rf"(?<![\w'-])(?:(?!{lexicon('not_modifiers').pattern()}\b)[A-Za-z][\w'-]*\s+){{0,2}}$",
    re.IGNORECASE,
)
_BRACKETED_FIGURE = re.compile(r"\s*\(\s*[\d,.]+\s*(?:%|per\s*cent)?\s*\)")
_OF_A_WHOLE = re.compile(r"\s+of\s+(?:its|their|the|his|her|our)\s+[\d,]+(?=\s)")
_TOTAL_AFTER = re.compile(r"\s+(?P<item>total)\b", re.IGNORECASE)
_PART_AFTER = (
    re.compile(  # "of them, 340 were outpatient clinics"; "2,700 of which were diagnostic scans"
        r"\s+(?:of\s+(?:which|them|these|those)\s+)?(?:were|was|are|is)\s+", re.IGNORECASE
    )
)
_DENOMINATOR_BEFORE = re.compile(
    r"\b(?:out\s+of|of\s+a\s+possible|(?:daily|usual|normal|typical|average)\s+(?:total|number)"
    r"\s+of|than)\s+$|\d\s+of\s+(?:its|their|the|his|her|our)\s+$",
    re.IGNORECASE,
)
_DENOMINATOR_LAST_WORDS = ("of", "possible", "than", "its", "their", "the", "his", "her", "our")
_TOTAL_BEFORE = re.compile(rf"\b(?:{lexicon('total_words').pattern()})\s+$", re.IGNORECASE)
_TOTAL_LAST_WORDS = tuple({p.split()[-1].lower() for p in lexicon("total_words").phrases})
_REDUCED_BY = re.compile(  # "told airlines to cut flights at Lyon airport by 25 per cent"
    rf"\b(?:reduce[sd]?|reducing|cut|cuts|cutting|slash(?:es|ed)?)\s+(?:\w+\s+){{0,2}}?"
    rf"(?P<item>(?:[\w-]+\s+)?(?:{_CANCEL_HEADS}))\b[^.;]{{0,60}}?\bby\s+$",
    re.IGNORECASE,
)
_LABEL_BEFORE = re.compile(  # "Day case - 2210", "Southline (7.4 per cent"
    r"(?:^|[,;]\s+|\band\s+)(?P<label>[A-Za-z][\w' &-]{1,60}?)\s*(?:-|:|\()\s*$"
)
_LABEL_MARKS = ("-", ":", "(")  # one of which ends a _LABEL_BEFORE match, but for spaces
_CONTINUING = re.compile(  # a sentence that carries on the figures of the one before
    r"(?:[A-Z][\w ]{0,30},\s+)?(?:another|a\s+further|there\s+(?:were|was)"
    r"|of\s+(?:these|those|them)|nationally|overall|broken\s+down|altogether)\b",
    re.IGNORECASE,
)
_MORE_OF_THE_SAME = re.compile(r"\b(?:another|a\s+further)\s+$", re.IGNORECASE)
_MORE_LAST_WORDS = ("another", "further")
_OF_AFTER = re.compile(r"\s+of\b")
_OTHER_MEASURES = ("poll_words", "ballot_words", "pollsters", "absent_phrases", "present_phrases")
_SCORE_BEFORE = re.compile(r"\b(?:score|rate)\s+of\s+$", re.IGNORECASE)
_IS_ITEM = re.compile(rf"(?:[\w-]+\s+){{0,3}}(?:{_ITEM_HEADS})", re.IGNORECASE)
_SHARED_JOIN = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+")
_RANGE_BEFORE = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# A clause break: a mark (",", ";", ":", a bracket), " - ", "while", "whereas" or "but". Written
# to open with the one class of the characters a break can start with, which the engine skips
# along, where alternatives each opening with a test would be tried at every character.
_CLAUSE_CUT = re.compile(
    r"[,;:()\sbw](?:(?<=[,;:()])|(?<=\s)-\s|(?<=\bw)(?:hile|hereas)\b|(?<=\bb)ut\b)"
)
_CUMULATIVE = re.compile(
    rf"\bsince\s+(?:{lexicon('months').pattern()}\b|last\s+\w+|the\s+\w+\s+(?:began|started))"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|several|all|both)\s+"
    r"(?:[A-Za-z'-]+\s+){0,2}?(?:strikes|walkouts|rounds|stoppages)\b"
    r"|\bover\s+(?:\w+\s+){0,2}(?:months|weeks)\s+of\b",
)
# _CUMULATIVE needs one of these words (a cheap test before the slow search)
_CUMULATIVE_WORDS = ("since", "strikes", "walkouts", "rounds", "stoppages", "months", "weeks")
# these two are read in the folded text: in any case, without the flag
_THE_STRIKE = re.compile(r"\bthe\s+(?:strike|walkout|walk-out|stoppage|industrial\s+action)\b(?!s)")
_FUTURE = re.compile(r"\b(?:will|(?:is|are)\s+(?:set\s+|expected\s+)?to)\s+be\b")
_HEADING_LINES = 2
_TAIL_CHARS = 40  # how far back from a clause's end trailing connectors are looked for
_TRAILING_CONNECTOR = re.compile(
    r"(?:[\s,;-]+(?:and|or|alongside|while|with|plus|as\s+well\s+as|compared\s+with))+\s*$"
    r"|[\s,;-]+$",
    re.IGNORECASE,
)
_CONNECTOR_ENDS = (",", ";", "-", "and", "or", "alongside", "while", "with", "plus", "as")


def _may_end_with_connector(folded: str) -> bool:
    """Whether a (folded) text may end with what _TRAILING_CONNECTOR takes off: a space, a
    mark or a connecting word, with nothing but spaces after it."""
    return folded[-1:].isspace() or folded.rstrip().endswith(_CONNECTOR_ENDS)


_CONNECTOR = re.compile(r"\b(?:and|or|alongside|while|plus|with|as\s+well\s+as)\b|[,;]|\s-\s")
CONTEXT_SENTENCES = 2  # how many sentences on a carried-on figure may follow the one it carries
PLACE_REACH = 600  # how far (characters) a figure without a place takes the last fact's place


@dataclass(kw_only=True, unsafe_hash=True, slots=True)
class Cancellation(Fact):
    """A figure of cancelled or postponed activity."""

    value: float
    unit: str
    qualifier: str
    item: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    geography: str | None
    cumulative: bool


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class _Taken:
    """A figure read as a cancellation, and what later figures may take from it."""

    sentence: int
    figure: Quantity
    item: str | None
    closure: bool
    place: str | None
    period: tuple[dt.date | None, dt.date | None] = (None, None)


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class _Item:
    """What a figure counts: its words (or those of the figure it takes them from)."""

    text: str | None
    start: int
    end: int
    closure: bool
    part: bool = False  # a part of the figure before it ("of them, 340 were ...", an aside)
    carried: bool = False  # taken from the last figure of an earlier sentence it carries on


def _item(doc: Analysis, start: int, end: int) -> _Item:
    # the head (last word) ends with a closure noun: in the folded text first (a cheap test)
    closure = end > start and doc.folded[start:end].split()[-1].endswith(_CLOSURE_LAST_WORDS)
    if closure:
        closure = bool(_IS_CLOSURE_HEAD.search(doc.norm[start:end].split()[-1]))
    return _Item(doc.text[start:end].strip("“”\"' "), start, end, closure)


def _own_item(doc: Analysis, figure: Quantity, end: int, is_part: bool) -> _Item | None:
    """What the figure counts, said right after it ("4,000 operations", "9% of schools"), or
    for a part of a total, after "were" ("340 were day cases")."""
    start = figure.char_end
    for skipped in (_BRACKETED_FIGURE, _OF_A_WHOLE):  # "nearly 20,000 (19,874) operations",
        found = skipped.match(doc.norm, start, end)  # "120 of its 140 schools"
        start = found.end() if found else start
    phrase = noun_after(doc, start, end, _ITEM_HEADS)
    if phrase is not None:
        return _item(doc, phrase.start, phrase.end)
    part = _PART_AFTER.match(doc.norm, figure.char_end, end) if is_part else None
    phrase = noun_after(doc, part.end(), end, _ITEM_HEADS) if part else None
    if phrase is not None:
        item = _item(doc, phrase.start, phrase.end)
        return _Item(item.text, item.start, item.end, item.closure, part=True)
    total = _TOTAL_AFTER.match(doc.norm, figure.char_end, end)
    if total:
        return _Item("total", *total.span("item"), False)
    return None


def _label_before(doc: Analysis, start: int, figure: Quantity) -> _Item | None:
    """The label a row or list puts before its figure: "Day case - 2210", "Operator (4.1%)"."""
    before = doc.norm[start : figure.char_start]
    if not before.rstrip().endswith(_LABEL_MARKS):
        return None  # the pattern, anchored at the end, would be tried at every position
    label = _LABEL_BEFORE.search(before)
    if label is None:
        return None
    label_start, label_end = start + label.start("label"), start + label.end("label")
    return _Item(doc.text[label_start:label_end].strip(), label_start, label_end, False)


# A predicate word of a sentence: (start, end, kind, the closure phrases that cover its start,
# which keep a not_cancelled word from counting when they lie in the same span)
_Predicate = tuple[int, int, str, tuple[tuple[int, int], ...]]


def _sentence_predicates(doc: Analysis, sentence: Sentence) -> list[_Predicate]:
    """The predicate words of a sentence by position: cancel, closure or not_cancelled."""
    start, end = sentence.start, sentence.end
    closures = doc.terms_in("closure_words", start, end)
    found: list[_Predicate] = [
        (t.start, t.end, "cancel", ()) for t in doc.terms_in("cancel_words", start, end)
    ]
    found += [(t.start, t.end, "closure", ()) for t in closures]
    found += [
        (
            t.start,
            t.end,
            "affected" if t.label == "affected" else "block",
            tuple((c.start, c.end) for c in closures if c.start <= t.start < c.end),
        )
        for t in doc.terms_in("not_cancelled_words", start, end)
    ]
    found.sort(key=lambda said: (said[0], said[2]))
    return found


def _terms_between(predicates: list[_Predicate], start: int, end: int) -> list[tuple[int, str]]:
    """The sentence's predicate words that lie in [start, end), by position: cancel, closure or
    not_cancelled (the latter only where no closure phrase in the span covers it: "open but
    restricting attendance")."""
    return [
        (at, kind)
        for at, stop, kind, covers in predicates
        if start <= at
        and stop <= end
        and not any(start <= cover_start and cover_end <= end for cover_start, cover_end in covers)
    ]


def _predicate(
    doc: Analysis,
    predicates: list[_Predicate],
    window_start: int,
    figure: Quantity,
    after_start: int,
    after_end: int,
) -> str | None:
    """The figure's own predicate ("cancel", "closure" or "block"): the first such word after
    it before the next clause, else the last one before it since the last clause break."""
    if not predicates:
        return None
    after = _terms_between(predicates, after_start, after_end)
    if after:  # the clause break after the figure is looked for only then
        cut = _CLAUSE_CUT.search(doc.norm, after_start, after_end)
        if cut is None or after[0][0] < cut.start():
            return after[0][1]
    if not any(window_start <= start and end <= figure.char_start for start, end, *_ in predicates):
        return None  # no word before the figure: its last clause break need not be found
    before_cut = window_start
    for match in _CLAUSE_CUT.finditer(doc.norm, window_start, figure.char_start):
        before_cut = match.end()
    before = _terms_between(predicates, before_cut, figure.char_start)
    return before[-1][1] if before else None


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class _Rows:
    """Where a verbless row of figures finds its verb (the lead and heading above its table),
    and its day (the heading)."""

    verb: tuple[int, int]
    heading: tuple[int, int]


def _row_context(doc: Analysis, sentence: Sentence, figures: list[Quantity]) -> _Rows | None:
    """The lead and heading of the table a sentence is a row of, or the lines above a line of
    its own that opens with a figure or holds several; None when it is not a row."""
    block = doc.block_at(sentence.start)
    if block is not None:
        top = block.heading or block.rows[0]
        above = block.lead or top
        return _Rows((min(above[0], top[0]), block.rows[0][0]), (top[0], block.rows[0][0]))
    line_start, line_end = doc.line_span(sentence.line)
    is_a_line = doc.norm[line_start : sentence.start].strip(" -•*") == "" and (
        doc.norm[sentence.end : line_end].strip() == ""
    )
    if is_a_line and (len(figures) >= 2 or figures[0].char_start == sentence.start):
        first = doc.line_starts[max(0, sentence.line - _HEADING_LINES)]
        return _Rows((first, sentence.start), (first, sentence.start))
    return None


def _evidence_span(
    doc: Analysis, clause: tuple[int, int], quantity: Quantity, others: list[Quantity]
) -> tuple[int, int]:
    """The clause stating the figure, cut where the next figure of the clause is joined on."""
    clause_start, clause_end = clause
    earlier = [o for o in others if clause_start <= o.char_end <= quantity.char_start]
    later = [o for o in others if quantity.char_end < o.char_start < clause_end]
    if earlier:
        clause_start = quantity.char_start
    if later and _CONNECTOR.search(doc.norm, quantity.char_end, later[0].char_start):
        clause_end = later[0].char_start
    tail_start = max(clause_start, clause_end - _TAIL_CHARS)
    tail = doc.norm[tail_start:clause_end]
    if _may_end_with_connector(doc.folded[tail_start:clause_end]):
        tail = _TRAILING_CONNECTOR.sub("", tail)
    return clause_start, max(tail_start + len(tail), quantity.char_end)


def _is_cumulative(doc: Analysis, sentence: Sentence) -> bool:
    if doc.has("cumulative_phrases", sentence.start, sentence.end):
        return True
    words = doc.norm[sentence.start : sentence.end]
    if not any(word in words for word in _CUMULATIVE_WORDS):
        return False
    return bool(_CUMULATIVE.search(doc.norm, sentence.start, sentence.end))


def _may_be_a_fact(doc: Analysis, figure: Quantity) -> bool:
    start = max(0, figure.char_start - 30)
    before = doc.folded[start : figure.char_start]
    return not (
        is_set_aside(doc, figure)
        or (
            # _DENOMINATOR_BEFORE ends with one of these words and a space
            before[-1:].isspace()
            and before.rstrip().endswith(_DENOMINATOR_LAST_WORDS)
            and _DENOMINATOR_BEFORE.search(doc.norm[start : figure.char_start])
        )
    )


def _echoes(fact: Cancellation, item_head: str, others: list[tuple[Cancellation, str]]) -> bool:
    """A figure in words ("nearly a third of colleges") that a figure in digits of the same
    sentence, or of the same thing elsewhere, states more exactly (31 per cent of colleges)."""
    if fact.unit != "percent":
        return False
    value, qualifier = fact.value, fact.qualifier
    for other, other_head in others:
        if other is fact or other.unit != "percent" or other_head == "":
            continue
        if not (other_head == item_head or abs(other.char_start - fact.char_start) < 300):
            continue
        exact = other.value
        if qualifier in ("more_than", "over", "at_least"):
            agrees = value <= exact <= value * 1.25 + 1
        elif qualifier in ("nearly", "almost", "up_to"):
            agrees = value * 0.8 - 1 <= exact <= value
        else:
            agrees = abs(exact - value) <= 0.15 * value
        if agrees:
            return True
    return False


@dataclass
class _View:
    """One sentence's figures as the rule reads them, with what the text before it says."""

    index: int
    sentence: Sentence
    figures: list[Quantity]
    spans: list[tuple[int, int]]
    hosts: list[int | None]  # the figure whose aside holds each figure, if any
    has_cancel: bool
    has_closure: bool
    context: tuple[int, int] | None  # a table row's heading and lead
    continuing: bool
    other_measure: bool  # a poll, a vote or staff: what a carried-on figure cannot be (read
    # only when a figure may carry one on: when `recent` holds one)
    recent: dict[str, _Taken]  # unit -> the last cancellation of that unit, if recent
    predicates: list[_Predicate]  # the sentence's predicate words
    _sentence_item: tuple[int, int] | None | bool = False  # False until looked for

    def sentence_item(self, doc: Analysis) -> tuple[int, int] | None:
        """The first thing the sentence names that can be cancelled or closed, if any."""
        if self._sentence_item is False:
            start, end = self.sentence.start, self.sentence.end
            heads = [doc.first(name, start, end) for name in ("cancelled_items", "closure_items")]
            head = min((h for h in heads if h is not None), key=lambda h: h.start, default=None)
            self._sentence_item = None
            if head is not None:
                reach = max(start, head.start - 40)
                words = _MODIFIERS_BEFORE.search(doc.norm, reach, head.start)
                self._sentence_item = (words.start() if words else head.start, head.end)
        return self._sentence_item  # type: ignore[return-value]


def _shared_noun(doc: Analysis, view: _View, position: int) -> _Item | None:
    """The noun of the next figure when this one is joined to it ("2,300 and 2,900 operations"),
    unless the two make a range ("between 1,500 and 2,500 operations")."""
    if position + 1 >= len(view.figures):
        return None
    figure, following = view.figures[position], view.figures[position + 1]
    if not _SHARED_JOIN.fullmatch(doc.norm, figure.char_end, following.char_start):
        return None
    if _RANGE_BEFORE.search(doc.norm, max(0, figure.char_start - 12), figure.char_start):
        return None
    item = _own_item(doc, following, view.spans[position + 1][1], is_part=False)
    return item if item is not None and following.unit == figure.unit else None


def _read(
    doc: Analysis, view: _View, position: int, clause: tuple[int, int], taken_here: list[_Taken]
) -> _Item | None:
    """What the figure counts, when it is a cancellation; None when it is not one. `clause` is
    the figure's clause."""
    figure, segment = view.figures[position], view.spans[position]
    sentence = view.sentence
    if is_bare_fraction(doc, figure):
        return None
    if doc.has("speculative_words", sentence.start, clause[1]):
        return None
    before = doc.norm[sentence.start : figure.char_start]
    last = view.recent.get(figure.unit)
    previous = taken_here[-1] if taken_here else None
    folded_before = doc.folded[sentence.start : figure.char_start].rstrip()
    more_of_the_same = folded_before.endswith(_MORE_LAST_WORDS) and bool(
        _MORE_OF_THE_SAME.search(before)
    )
    copular_total = folded_before.endswith(_TOTAL_LAST_WORDS) and bool(_TOTAL_BEFORE.search(before))
    item = _own_item(doc, figure, segment[1], is_part=previous is not None)
    reduced = None
    if item is None and figure.unit == "percent":
        reduced = _REDUCED_BY.search(before[-150:]) if folded_before.endswith("by") else None
        if reduced:
            offset = figure.char_start - len(before[-150:])
            item = _item(doc, offset + reduced.start("item"), offset + reduced.end("item"))
    label = None if item else _label_before(doc, segment[0], figure)
    if label is not None and _IS_ITEM.fullmatch(doc.norm, label.start, label.end):
        item, label = _item(doc, label.start, label.end), None
    predicate = _predicate(
        doc, view.predicates, segment[0], figure, item.end if item else figure.char_end, segment[1]
    )
    if reduced:
        predicate = "cancel"
    carried = (
        last is not None
        and not view.other_measure
        and not _OF_AFTER.match(doc.norm, figure.char_end)
        and bool(
            view.continuing
            or more_of_the_same
            or copular_total
            or label
            or predicate in ("cancel", "closure")
            or (folded_before.endswith("of") and _SCORE_BEFORE.search(before))
        )
    )
    if predicate == "block":
        return None
    if predicate == "affected":
        if not (more_of_the_same and carried):
            return None
        predicate = None
    if item is None:
        if counts_other_noun(doc, figure, segment[1]):
            return None
        host = view.hosts[position]
        hosts = [t for t in taken_here if host is not None and t.figure is view.figures[host]]
        if hosts:
            previous = hosts[0]
        joined = (
            previous is not None
            and previous.figure.unit == figure.unit
            and (bool(hosts) or opens_list_element(doc, previous.figure.char_end, figure))
        )
        shared = view.sentence_item(doc)
        following = _shared_noun(doc, view, position)
        if joined and previous is not None:
            item = _Item(previous.item, figure.char_start, figure.char_end, previous.closure, True)
        elif following is not None:
            item = following
        elif (
            shared
            and (figure.unit == "percent" or copular_total)
            and (shared[0] < figure.char_start or predicate)
        ):
            item = _item(doc, *shared)
        elif carried and last is not None:
            item = _Item(last.item, figure.char_start, figure.char_end, last.closure, carried=True)
        elif view.context is not None and label is not None:
            item = label
        else:
            return None
    if item.closure:
        said = predicate == "closure" or (
            predicate is None
            and (
                view.has_closure
                or (previous is not None and previous.closure)
                or (carried and last is not None and last.closure)
            )
        )
    else:
        said = predicate == "cancel" or (predicate is None and (view.has_cancel or carried))
    return item if said else None


def _may_be_reduced(doc: Analysis, sentence: Sentence, figures: list[Quantity]) -> bool:
    """Whether a share of the sentence may be what something is reduced by (_REDUCED_BY)."""
    for figure in figures:
        if figure.unit == "percent":
            return doc.holds_any(("reduc", "cut", "slash"), sentence.start, sentence.end)
    return False


def _date_respectively(
    doc: Analysis, span: tuple[int, int], facts: list[tuple[Cancellation, str, bool]], count: int
) -> None:
    """Days given respectively ("2,300 and 2,900 operations on 3 and 4 May respectively"): the
    n-th of the last `count` figures takes the n-th day named in `span`, after them."""
    days = [d.start for d in doc.dates_in(*span) if d.precision == "day"]
    if len(days) != count:
        return
    for offset, day in enumerate(days):
        index = len(facts) - count + offset
        fact, head, in_words = facts[index]
        facts[index] = (dataclasses.replace(fact, period_start=day, period_end=day), head, in_words)


class _Article:
    """What a figure falls back on when its own words say no more: the strike the article
    reports on, "the strike", the strikes it announces, and its place; each looked for once a
    figure needs it."""

    def __init__(self, doc: Analysis, strikes: list) -> None:
        self.doc, self.strikes = doc, strikes

    @cached_property
    def held_period(self) -> tuple[dt.date, dt.date] | None:
        return covered_strike_days(self.doc, self.strikes)

    @cached_property
    def named_period(self) -> tuple[dt.date, dt.date] | None:
        return named_strike_days(self.doc, self.strikes)

    @cached_property
    def planned_period(self) -> tuple[dt.date, dt.date] | None:
        return planned_strike_days(self.doc, self.strikes)

    @cached_property
    def place(self) -> str | None:
        return source_place(self.doc) or article_country(self.doc)


def extract_cancellations(doc: Analysis, found: Found) -> list[Cancellation]:
    """Cancellation figures with item, period, place and hedge, one per mention."""
    strikes = found.get("strike_actions", [])
    article = _Article(doc, strikes)
    facts: list[tuple[Cancellation, str, bool]] = []  # fact, item head, written in words
    last: dict[str, _Taken] = {}
    statement: tuple[int, str] | None = None  # the last place a statement was framed in
    cancel_words = doc.terms["cancel_words"]
    first_cancel_word = cancel_words[0].start if cancel_words else len(doc.norm)
    cancel_sentences = doc.sentences_holding("cancel_words")
    closure_sentences = doc.sentences_holding("closure_words")
    other_measures = [name for name in _OTHER_MEASURES if doc.terms[name]]
    for index, sentence, quantities in doc.numbered_sentences_with_quantities():
        span = (sentence.start, sentence.end)
        recent = {
            unit: taken
            for unit, taken in last.items()
            if index - taken.sentence <= CONTEXT_SENTENCES
        }
        has_cancel = index in cancel_sentences
        has_closure = index in closure_sentences
        # the verb of the table the sentence may be a row of, from all its quantities first (a
        # row its figures make is one of those, with the same verb), before the figures are read
        rows_verb = None
        if not has_cancel and first_cancel_word < sentence.start:  # a row's verb is above it
            rows = _row_context(doc, sentence, quantities)
            if rows is not None and doc.has("cancel_words", *rows.verb):
                rows_verb = rows.verb
        if not (
            has_cancel
            or has_closure
            or recent
            or rows_verb is not None
            or _may_be_reduced(doc, sentence, quantities)
        ):
            continue  # no figure of it can be said to be cancelled or closed
        figures = [q for q in quantities if _may_be_a_fact(doc, q)]
        if not figures:
            continue
        rows = _row_context(doc, sentence, figures) if rows_verb is not None else None
        if rows is not None:  # its verb, rows_verb, holds a cancel word
            has_cancel = True
        context = rows.verb if rows else None
        if not (has_cancel or has_closure or recent or _may_be_reduced(doc, sentence, figures)):
            continue  # no figure of it can be said to be cancelled or closed
        parts = segments(doc, sentence, figures)
        view = _View(
            index,
            sentence,
            figures,
            parts.spans,
            parts.hosts,
            has_cancel,
            has_closure,
            context,
            bool(recent) and bool(_CONTINUING.match(doc.norm, *span)),
            bool(recent) and any(doc.has(name, *span) for name in other_measures),
            recent,
            _sentence_predicates(doc, sentence),
        )
        taken_here: list[_Taken] = []
        sentence_days = SentenceDays(doc, sentence)
        cumulative: bool | None = None  # looked for once a figure of the sentence is taken
        names_the_strike: bool | None = None  # likewise
        for position, figure in enumerate(figures):
            clause = doc.clause_around(sentence, figure.char_start, figure.char_end)
            item = _read(doc, view, position, clause, taken_here)
            if item is None:
                continue
            segment = view.spans[position]
            start, end = _evidence_span(doc, clause, figure, figures)
            if figure.char_end <= item.start and end < item.end <= sentence.end:
                end = item.end
            frame = taken_here[-1].figure.char_end if taken_here else sentence.start
            place, own = own_place(doc, figure, segment, frame)
            if place is None and context is not None:
                place = place_in(doc, *context, figure.char_start)
            hosted = view.hosts[position] is not None
            if place is None and taken_here and (item.part or hosted):
                place, own = taken_here[-1].place, True
            if place is None and statement and figure.char_start - statement[0] < PLACE_REACH:
                place = statement[1]
            if place is None:
                place = article.place
            if place is not None and not own:
                statement = (figure.char_start, place)
            if cumulative is None:
                cumulative = _is_cumulative(doc, sentence)
            default: tuple[dt.date | None, dt.date | None] | None = article.held_period
            if default is None:
                if names_the_strike is None:
                    names_the_strike = bool(_THE_STRIKE.search(doc.folded, *span))
                if names_the_strike:
                    default = article.named_period
            before = last.get(figure.unit)  # a run of figures about one period
            if default is None and before and index - before.sentence <= CONTEXT_SENTENCES:
                default = before.period if before.period[0] is not None else None
            if default is None and _FUTURE.search(doc.folded, figure.char_end, segment[1]):
                default = article.planned_period
            carried_on = last.get(figure.unit) if item.carried else None
            if item.part and taken_here:
                carried_on = taken_here[-1]
            period = (
                (counted_strike_days(doc, sentence, strikes) or (None, None))
                if cumulative
                else figure_period(
                    sentence_days,
                    figure,
                    segment,
                    rows.heading if rows else None,
                    default,
                    carried_on.period if carried_on else None,
                )
            )
            fact = Cancellation(
                char_start=start,
                char_end=end,
                value=figure.value,
                unit=figure.unit,
                qualifier=figure.qualifier,
                item=item.text,
                period_start=period[0],
                period_end=period[1],
                geography=place,
                cumulative=cumulative,
            )
            head = (item.text or "").lower().split()
            facts.append((fact, head[-1] if head else "", written_in_words(doc, figure)))
            taken = _Taken(index, figure, item.text, item.closure, place, period)
            taken_here.append(taken)
            last[figure.unit] = taken
        if (
            taken_here
            and doc.folded.find("respectively", *span) >= 0
            and _RESPECTIVELY.search(doc.norm, *span)
        ):
            after = (taken_here[-1].figure.char_end, sentence.end)
            _date_respectively(doc, after, facts, len(taken_here))
    in_digits = [(fact, head) for fact, head, in_words in facts if not in_words]
    return [
        fact for fact, head, in_words in facts if not (in_words and _echoes(fact, head, in_digits))
    ]


def to_gold(row: dict) -> dict:
    """An extracted.cancellations row in the gold's terms."""
    return {
        **provenance(row),
        "value": row.get("value"),
        "unit": row.get("unit"),
        "qualifier": row.get("qualifier"),
        "item": row.get("item"),
        "period_start": as_text(row.get("period_start")),
        "period_end": as_text(row.get("period_end")),
        "geography": row.get("geography"),
        "cumulative": row.get("cumulative"),
    }


FACT_TYPE = FactType(
    name="cancellation",
    table="cancellations",
    record=Cancellation,
    extract=extract_cancellations,
    gold_fields=(
        "value",
        "unit",
        "qualifier",
        "item",
        "period_start",
        "period_end",
        "geography",
        "cumulative",
    ),
    match_key=("value", "unit"),
    to_gold=to_gold,
    colour="#1f77b4",
)
