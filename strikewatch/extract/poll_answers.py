"""Which answer a poll figure states: the words around a percentage, read as an answer option.

A figure's own words come first: the answer named just after it ("52% support", "31% blaming the
unions") or, for a bracketed figure or a table row, just before it ("at fault (41%)", "Turnout:
64%"). A figure that names no answer of its own takes one from a neighbour when the grammar
shares it: a coordination ("64% of A and 58% of B oppose"), a comparison ("than B (24%)"), a
trend ("from 22% to 31%"), a breakdown ("Support: 52% (strongly 30%)"), a chart header ("(%
support) Midwives 58% ..."), "by 60% to 40%", or an echo of the answer before it ("30% who did
not", "14% believing it had"). The object of "support" decides what is supported: the strike,
the right to strike, action short of a strike, an offer, or a policy (not an answer here).

The reader also notes what the rest of the poll rules need: the subgroup a figure counts
("62% of 2017 Green voters"), and where to look for a date that makes it an earlier round.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.numbers import Quantity
from strikewatch.extract.poll_stances import (
    BLAME_QUESTION,
    BLAME_TRIGGERS,
    BY_AFTER,
    INTENSE,
    SIDE_AFTER,
    SIDE_BEFORE,
    Stance,
    is_negative,
    label_measure,
    opposite,
    side_named,
    stances_in,
    sympathy_object,
)
from strikewatch.lexicon import lexicon

TAIL_CHARS = 130  # how far after a figure the answer it counts may be named
HEAD_CHARS = 60  # ... and before it
TREND_HEAD_CHARS = 120  # before "from X% to Y%", whose subject opens the clause
WAVE_DATE_CHARS = 40  # a date this close after a figure dates the figure
ECHO_POINTS = 5  # a share in words this close to one in digits only repeats it
GROUP_CHARS = 80  # how far before a bracketed share its subgroup may be named

_ROW_LABELS = lexicon("row_labels")
_ROW_LABEL = re.compile(rf"^\s*(?P<label>{_ROW_LABELS.pattern()})\b[\s:]*$", re.IGNORECASE)
_INTENSITY = lexicon("intensity_words")
_BREAKDOWN = re.compile(rf"^\s*[(,;]\s*(?P<word>{_INTENSITY.pattern()})\s*:?\s*$", re.IGNORECASE)
_CHART = re.compile(r"\(\s*%\s*(?P<label>[a-z][\w' ]{2,30}?)\s*\)", re.IGNORECASE)
_AGAINST = re.compile(r"^\W{0,3}(?:were\s+|are\s+)?against\b", re.IGNORECASE)

# What may stand between a figure and the answer it shares with its neighbour.
_COORDINATED = re.compile(
    r"^\)?\s*(?:of\s+(?:[\w'-]+\s+){0,5}?[\w'-]+\s*)?(?:,\s*)?(?:and|or|&|,)\s*$", re.IGNORECASE
)
_MORE_LIKELY_THAN = re.compile(
    r"^\)?\s*(?:are|were|is|was)\s+(?:\w+\s+){0,2}?(?:more|less)\s+likely\s+than\s+"
    r"(?:[\w'-]+\s+){0,5}?[\w'-]+\s*\($",
    re.IGNORECASE,
)
_BY_A_TO_B = re.compile(r"^\s*to\s*$", re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s*$", re.IGNORECASE)
_OPENS_BEFORE = re.compile(r"\(\s*$")
_CLOSES_AFTER = re.compile(r"\s*\)")
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+\s+)?$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+|just\s+)?$", re.IGNORECASE)
_TREND_BEFORE = re.compile(
    r"\b(?:from|to|up\s+from|down\s+from|rose\s+from|risen\s+from|fell\s+from|fallen\s+from)"
    r"\s+(?:the\s+|just\s+)?$",
    re.IGNORECASE,
)
# Words that give a figure a predicate of its own, so it cannot share its neighbour's answer.
_PREDICATE = re.compile(
    r"\b(?:say|says|said|saying|think|thinks|thought|thinking|believe[sd]?|believing|feel|feels"
    r"|felt|find|finds|found|deem|deems|agree[sd]?|want|wants|wanted|would|will|could|should"
    r"|are|is|were|was|have|has|had|do|does|did|expect\w*|consider\w*|see|sees|rate[sd]?)\b",
    re.IGNORECASE,
)
# Where a figure's own words end: ";", ". ", ", with" or a word that opens another clause
# (while, whereas, but, compared, than, or whether, versus, vs; in any case). Each break opens
# with one of the characters of the leading class, which the engine skips to; lookbehinds then
# tell which break it is ("(?<!\w[...])" is the word boundary before the word).
_TAIL_BOUNDARY = re.compile(
    r"[;.,bBcCoOtTvVwW]"
    r"(?:(?<=;)|(?<=\.)\s|(?<=,)\s*(?i:with)\b|(?<!\w[bBcCoOtTvVwW])"
    r"(?i:(?<=b)ut|(?<=c)ompared|(?<=o)r\s+whether|(?<=t)han|(?<=v)ersus|(?<=v)s|(?<=w)hile"
    r"|(?<=w)hereas)\b)"
)
# Where the clause before a figure begins: after ";", ", ", " - " or a word that opens a clause
# (in any case), written as _TAIL_BOUNDARY is. Each break holds one of the marks.
_HEAD_PUNCTUATION = {";": r"(?<=;)", ",": r"(?<=,)\s", "-": r"(?<=\s)-\s"}  # mark: its break
_HEAD_WORDS = ("but", "because", "than", "while", "whereas")
_HEAD_FIRSTS = "".join(sorted({word[0] for word in _HEAD_WORDS}))  # their first letters
_HEAD_FIRSTS += _HEAD_FIRSTS.upper()  # in either case
_HEAD_BOUNDARY = re.compile(
    rf"[;,\s{_HEAD_FIRSTS}]"
    rf"(?:{'|'.join(_HEAD_PUNCTUATION.values())}|(?<!\w[{_HEAD_FIRSTS}])"
    rf"(?i:{'|'.join(f'(?<={word[0]}){word[1:]}' for word in _HEAD_WORDS)})\b)"
)
_HEAD_MARKS = (*_HEAD_PUNCTUATION, *_HEAD_WORDS)
_ECHO_NO = re.compile(
    r"^\W*(?:(?:who|which|that|saying|said|say|says|believing|believed|believe|think|thought"
    r"|felt|feel|they|it|he|she|also|still|have|has|had|expressed|express)\s+)*(?:did\s+not|didn't|do\s+not|don't(?!\s+know)"
    r"|does\s+not|doesn't|would\s+not|wouldn't|had\s+not|hadn't|have\s+not|haven't|were\s+not"
    r"|weren't|are\s+not|aren't|was\s+not|wasn't|not\s+very\s+much|none\s+at\s+all"
    r"|little\s+or\s+(?:none|no)|none|not)\b"
    r"(?P<rest>[^.;]*)$",
    re.IGNORECASE,
)
_ECHO_YES = re.compile(
    r"^\W*(?:who|that|saying|said|say|says|believing|believed|believe|think|thought|felt)\s+"
    r"(?:they|it|he|she)\s+(?:had|did|would|was|were|do|does|have|has|could)\W*$",
    re.IGNORECASE,
)
_ASKED = re.compile(r"\b[Aa]sked\s+(?:by\s+[\w ]+?\s+)?(?:whether|if)\b")
_OF_THOSE_WHO = re.compile(r"\W*of\s+those\s+who\b", re.IGNORECASE)
# what after a figure makes it no answer ("5% pay rise"), each phrase once
_NOT_AN_ANSWER_PHRASES = (
    *("increase", "rise", "cut", "decrease", "fall", "drop", "points", "pts", "pay", "more"),
    *("less", "higher", "lower", r"real[\s-]terms", "offer", "deal", "uplift", "award"),
    *("settlement", "bonus", r"above\s+inflation"),
)
_NOT_AN_ANSWER_AFTER = re.compile(rf"\s*(?:{'|'.join(_NOT_AN_ANSWER_PHRASES)})\b", re.IGNORECASE)
# the words one of which a match of _NOT_AN_ANSWER_AFTER opens with
_NOT_AN_ANSWER_WORDS = tuple(re.match(r"\w+", phrase)[0] for phrase in _NOT_AN_ANSWER_PHRASES)
_BARE_COMPARED = re.compile(
    r"(?:\bwhile|\bwhereas|\band|\bbut|\bwith|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|,)"
    r"\s+(?:just|only|a\s+mere|some|around|about)?\s*$",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(rf"\b{lexicon('threshold_words').pattern()}\b", re.IGNORECASE)
_REASON = re.compile(rf"\b{lexicon('reason_words').pattern()}\b", re.IGNORECASE)


def _longest_words(name: str) -> tuple[str, ...]:
    """The longest word of each phrase of a lexicon, lower-cased: a match of its pattern holds
    one (a sentence without any need not be searched)."""
    return tuple(sorted({max(p.lower().split(), key=len) for p in lexicon(name).labels}))


_THRESHOLD_WORDS = _longest_words("threshold_words")
_REASON_WORDS = _longest_words("reason_words")
_SUBGROUP_WORD = re.compile(rf"\b{lexicon('subgroup_words').pattern()}\b", re.IGNORECASE)
_WHOLE_SAMPLE = re.compile(rf"^(?:the\s+)?(?:{lexicon('whole_sample').pattern()})$", re.IGNORECASE)
_OF_GROUP = re.compile(
    r"\)?\s+(?:of|among)\s+(?P<group>(?:the\s+)?(?:[\w'-]+\s+){0,4}?[\w'-]+?)"
    r"(?=\s+(?:say|says|said|think|thought|believe|believed|who|were|are|is|was|have|had"
    r"|support|supported|oppose|opposed|back|backed|blame|blaming|express|endorse|would|felt"
    r"|voted|voting|also|mainly|to|and|or|while|with|compared|than|in|on)\b|\s*[,().;]|\s*$)",
    re.IGNORECASE,
)
# a joining word, five of the group's and the bracket: the runs of non-spaces a match holds
GROUP_RUNS = 7
_GROUP_BEFORE = re.compile(
    r"(?:^|\b(?:of|than|among|with|and|that|while|but|,))\s*(?P<group>(?:[\w'-]+\s+){0,4}?"
    r"[\w'-]+)\s*\($",
    re.IGNORECASE,
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_GROUP_CUT = re.compile(
    r"\b(?:of|than|among|with|and|that|while|but|was|were|is|are|by|for|in)\s+", re.IGNORECASE
)
_SUBJECT_GROUP = re.compile(
    r"\W*(?P<group>(?:[\w'-]+\s+){0,4}?[\w'-]+)\s+(?:are|were)\b", re.IGNORECASE
)
_AMONG = re.compile(
    r"\bamong\s+(?P<group>(?:[\w'-]+\s+){0,4}?[\w'-]+)(?:\s*,|\s+(?:is|are|was|were|stands?|at)\b)",
    re.IGNORECASE,
)
_EARLIER = re.compile(rf"\b{lexicon('earlier_poll_words').pattern()}\b", re.IGNORECASE)
_CURRENT = re.compile(rf"\b{lexicon('current_poll_words').pattern()}\b", re.IGNORECASE)
_THAT_TIME = re.compile(rf"\W*{lexicon('that_time_words').pattern()}\b", re.IGNORECASE)
_WAVE_WORDS = re.compile(r"\b(?:back\s+in|since|ago|last\s+(?:month|year)|previous)", re.I)
# the words one of which each of _EARLIER, _CURRENT and _WAVE_WORDS needs
_ROUND_WORDS = {
    "earlier": lexicon("earlier_poll_words").first_words(),
    "current": lexicon("current_poll_words").first_words(),
    "wave": ("back", "since", "ago", "last", "previous"),
}
_FIELDWORK = re.compile(rf"\b{lexicon('fieldwork_words').pattern()}\b", re.IGNORECASE)
_FIELDWORK_WORDS = lexicon("fieldwork_words").first_words()  # one of which _FIELDWORK needs
_COUNT_OPENING = re.compile(r"[\d,]+\s*\(\s*$")  # "Support: 1,204 (" before a share
# What lies between an answer named as a label and its figure ("Support: 52%", "backed by 60%")
_LABEL_GAP = re.compile(r"\s*[:-]\s*(?:[\d,.]+\s*\(\s*)?|\s*|\s+by\s+")
_WORD_CHAR = re.compile(r"\w")
_OPENING_BRACKET = re.compile(r"\s*\(\s*")
_TRAILING_JOINS = re.compile(r"(?:\s*(?:[,.;)]|\band\b|\bor\b))+\s*$")
_JOIN_ENDINGS = (",", ".", ";", ")", "and", "or")  # one of which a _TRAILING_JOINS match ends with
_SPACES = "".join(char for char in map(chr, range(0x3001)) if char.isspace())  # all \s matches
_JOIN_CHARS = _SPACES + ",.;)andor"  # the characters a _TRAILING_JOINS match is made of
_NEGATIONS = ("not", "n't", "none", "little")  # one of which _ECHO_NO needs


@dataclass
class Answer:
    """One figure read as an answer option, with what the poll rules need to place it."""

    measure: str
    figure: Quantity
    start: int  # evidence span
    end: int
    subgroup: str | None = None
    question: str | None = None
    date_spans: tuple[tuple[int, int], ...] = ()  # where a date of an earlier round may be
    current: bool = False  # "now", "latest": the figure is the poll's own
    earlier: bool = False  # "previous ballots": an earlier round, undated
    that_time: bool = False  # "At that time, ...": the earlier round just named
    in_words: bool = False  # written without digits ("a third")


def figures_of(doc: Analysis, sentence: Sentence) -> list[Quantity]:
    """Percentages of a sentence, with bare numbers read as percent after a percentage."""
    figures: list[Quantity] = []
    for quantity in doc.quantities_in(sentence.start, sentence.end):
        if quantity.unit == "percent":
            figures.append(quantity)
        elif (
            figures
            and quantity.value <= 100
            and _BARE_COMPARED.search(doc.norm[figures[-1].char_end : quantity.char_start])
        ):
            figures.append(
                Quantity(
                    quantity.value,
                    "percent",
                    quantity.qualifier,
                    quantity.char_start,
                    quantity.char_end,
                )
            )
    return [figure for figure in figures if not _names_no_answer_after(doc, figure, sentence)]


def _names_no_answer_after(doc: Analysis, figure: Quantity, sentence: Sentence) -> bool:
    """Whether the words after a figure make it no answer ("5% pay rise", "3 points more")."""
    after = doc.folded[figure.char_end : sentence.end].lstrip()
    return after.startswith(_NOT_AN_ANSWER_WORDS) and bool(
        _NOT_AN_ANSWER_AFTER.match(doc.norm, figure.char_end, sentence.end)
    )


@dataclass
class _Reading:
    """What the words around one figure say, before neighbours are consulted."""

    kind: str  # "own", "echo_yes", "echo_no", "breakdown", "none", "blocked"
    measure: str | None = None
    start: int = 0
    end: int = 0
    intensity: str | None = None


def _without_trailing_joins(text: str) -> str:
    """The text without the commas, stops and "and"s it ends with (_TRAILING_JOINS)."""
    if not text.rstrip().endswith(_JOIN_ENDINGS):
        return text  # the pattern, anchored at the end, would try every position in vain
    # the match begins no earlier than the run of its characters the text ends with
    joins = _TRAILING_JOINS.search(text, len(text.rstrip(_JOIN_CHARS)))
    return text[: joins.start()] if joins else text


def _without_count(text: str) -> str:
    """The text without the count it ends with before a share ("Support: 1,204 (")."""
    if not text.rstrip().endswith("("):
        return text  # no _COUNT_OPENING, which would be tried at every position in vain
    return _COUNT_OPENING.sub("", text)


def _search_at_end(
    pattern: re.Pattern[str], text: str, start: int, end: int, runs: int
) -> re.Match[str] | None:
    """pattern.search(text, start, end), for a pattern anchored at the end whose every match
    holds no more than `runs` runs of non-spaces: searched for in the last ones only (the
    engine would try it at every position of the span)."""
    before = text[start:end].rsplit(None, runs)
    if len(before) > runs:
        start += len(before[0])
    return pattern.search(text, start, end)


def _first_boundary(text: str, start: int, end: int) -> int:
    match = _TAIL_BOUNDARY.search(text, start, end)
    return match.start() if match else end


def _clause_start(text: str, folded: str, start: int, end: int) -> int:
    """Where the clause holding position `end` begins, not before `start`: after the last
    _HEAD_BOUNDARY a search from `start` finds (`folded`: the text lower-cased, of the same
    length). Found from the right, by the marks each kind of boundary holds, since the pattern
    is slow to search for: it is tried at every space and at every b, t and w."""
    last = None
    for mark in _HEAD_MARKS:
        at = folded.rfind(mark, start, end)
        while at >= start and (last is None or at > last.start()):
            begin = at - 1 if mark == "-" else at  # " - " begins at the space
            if begin >= start and (match := _HEAD_BOUNDARY.match(text, begin, end)):
                last = match
                break
            at = folded.rfind(mark, start, at)
    if last is None:
        return start
    if text[last.start() - 1] in ",-":
        # the space of a " - " may end a ", " or another " - ", which the search, going
        # left to right, finds instead: search from a space before it that ends neither
        space = text.rfind(" ", start, last.start() - 1)
        while space >= start and text[space + 1] == "-":
            space = text.rfind(" ", start, space)
        *_, last = _HEAD_BOUNDARY.finditer(text, max(start, space + 1), last.end())
    return last.end()


class _SentenceReader:
    """Reads the figures of one sentence as answers."""

    def __init__(self, doc: Analysis, sentence: Sentence, figures: list[Quantity]):
        self.doc, self.sentence, self.figures = doc, sentence, figures
        self.text = doc.norm
        self.stances = stances_in(doc, sentence)
        chart = _CHART.search(self.text, sentence.start, sentence.end)
        self.chart = chart
        self.chart_measure = label_measure(chart.group("label")) if chart else None
        ends = [sentence.start] + [figure.char_end for figure in figures[:-1]]
        starts = [figure.char_start for figure in figures[1:]] + [sentence.end]
        self._bounds = list(zip(ends, starts, strict=True))  # by figure: see bounds
        self._tail_ends: dict[int, int] = {}  # by figure: where its own words end
        self._segment_ends: dict[int, int] = {}  # ... with no limit on their length
        self._head_starts: dict[int, int] = {}  # ... and where its clause begins

    def bounds(self, index: int) -> tuple[int, int]:
        """Where the figure's neighbours end and begin (the sentence's ends for the first and
        the last)."""
        return self._bounds[index]

    def tail_end(self, index: int) -> int:
        if index not in self._tail_ends:
            figure = self.figures[index]
            _, after = self.bounds(index)
            limit = min(after, figure.char_end + TAIL_CHARS)
            boundary = _TAIL_BOUNDARY.search(self.text, figure.char_end, limit)
            self._tail_ends[index] = boundary.start() if boundary else limit
            if limit == after or (boundary and boundary.end() < limit):
                # a boundary that ends before the limit is the first up to the next figure too
                self._segment_ends[index] = self._tail_ends[index]
        return self._tail_ends[index]

    def segment_end(self, index: int) -> int:
        """Where the figure's own words end, however far they run before the next figure."""
        self.tail_end(index)  # which most often finds it too
        if index not in self._segment_ends:
            _, after = self.bounds(index)
            self._segment_ends[index] = _first_boundary(
                self.text, self.figures[index].char_end, after
            )
        return self._segment_ends[index]

    def head_start(self, index: int) -> int:
        if index not in self._head_starts:
            figure = self.figures[index]
            before, _ = self.bounds(index)
            self._head_starts[index] = _clause_start(
                self.text, self.doc.folded, before, figure.char_start
            )
        return self._head_starts[index]

    def reading(self, index: int) -> _Reading:
        """The answer a figure's own words name."""
        text, figure = self.text, self.figures[index]
        before, after = self.bounds(index)
        tail_end = self.tail_end(index)
        head_start = self.head_start(index)
        head = [s for s in self.stances if s.start >= head_start and s.end <= figure.char_start]
        tail = [s for s in self.stances if figure.char_end <= s.start < tail_end]
        tail_text = text[figure.char_end : tail_end]
        gap_before = text[before : figure.char_start]

        if self.chart and self.chart.end() <= figure.char_start and self.chart_measure:
            label = text[max(before, self.chart.end()) : figure.char_start].strip()
            if 0 < len(label.split()) <= 6 and label[:1].isupper():
                return _Reading(
                    "own",
                    self.chart_measure,
                    figure.char_start
                    - len(text[max(before, self.chart.end()) : figure.char_start].lstrip()),
                    figure.char_end,
                )
        if breakdown := _BREAKDOWN.match(gap_before):
            word = _INTENSITY.label(breakdown.group("word")) or breakdown.group("word").lower()
            return _Reading(
                "breakdown", None, before + breakdown.start("word"), figure.char_end, intensity=word
            )
        if before == self.sentence.start and (row := _ROW_LABEL.match(_without_count(gap_before))):
            measure = _ROW_LABELS.label(row.group("label"))
            return _Reading("own", measure, before + row.start("label"), figure.char_end)

        annotating = bool(
            _OPENS_BEFORE.search(text, before, figure.char_start)
            and _CLOSES_AFTER.match(text, figure.char_end, after + 1)
        )
        between = text[head[-1].end : figure.char_start] if head else ""
        labelled = _LABEL_GAP.fullmatch(between)
        if head and labelled and not between.strip():  # nothing between phrase and figure
            opens_row = not _WORD_CHAR.search(text[before : head[-1].start])
            if not opens_row and not text[head[-1].start : head[-1].end].lower().endswith(" by"):
                return _Reading("blocked")  # "its support 100% behind": a figure of speech
        adjacent = head and (labelled or (annotating and _OPENING_BRACKET.fullmatch(between)))
        near_head = head and figure.char_start - head[-1].end <= HEAD_CHARS
        if adjacent or (annotating and near_head):
            return self._own(head[-1], head[-1].start, figure.char_end)
        if tail:
            stance = tail[0]
            if (self.names_reason and _REASON.search(text, stance.end, tail_end)) or (
                _search_at_end(_PASSIVE_BEFORE, text, figure.char_end, stance.start, 2)
                and BY_AFTER.match(text, stance.end)
            ):
                return _Reading("blocked")  # a reason, or a figure that is what was backed
            return self._own(stance, figure.char_start, stance.end)
        against = _AGAINST.match(tail_text)
        if against:
            return _Reading("own", "oppose", figure.char_start, figure.char_end + against.end())
        echo_text = _without_trailing_joins(tail_text)
        negated = self.doc.holds_any(_NEGATIONS, figure.char_end, figure.char_end + len(echo_text))
        if negated and (no := _ECHO_NO.match(echo_text)) and len(no.group("rest").split()) <= 6:
            return _Reading("echo_no", None, figure.char_start, figure.char_end + len(echo_text))
        if _ECHO_YES.match(echo_text):
            return _Reading("echo_yes", None, figure.char_start, figure.char_end + len(echo_text))
        if near_head:
            return self._own(head[-1], head[-1].start, figure.char_end)
        if not head and _search_at_end(_TREND_BEFORE, text, head_start, figure.char_start, 3):
            wider = _clause_start(
                text, self.doc.folded, self.sentence.start, max(self.sentence.start, head_start - 2)
            )
            earlier = [s for s in self.stances if s.start >= wider and s.end <= figure.char_start]
            if earlier and figure.char_start - earlier[-1].end <= TREND_HEAD_CHARS:
                return self._own(earlier[-1], earlier[-1].start, figure.char_end)
        if head and head[-1].measure is None:
            return _Reading("blocked")
        return _Reading("none")

    def _own(self, stance: Stance, start: int, end: int) -> _Reading:
        if stance.measure is None:
            return _Reading("blocked")
        return _Reading("own", stance.measure, start, end)

    @cached_property
    def names_threshold(self) -> bool:
        """Whether the sentence holds a word of _THRESHOLD (else no figure's words need be
        searched for one)."""
        return self.doc.holds_any(_THRESHOLD_WORDS, self.sentence.start, self.sentence.end)

    @cached_property
    def names_reason(self) -> bool:
        """Whether the sentence holds a word of _REASON."""
        return self.doc.holds_any(_REASON_WORDS, self.sentence.start, self.sentence.end)

    @cached_property
    def round_words(self) -> set[str]:
        """Which of _ROUND_WORDS' kinds the sentence holds a word of: the others' patterns need
        not be searched for in it."""
        start, end = self.sentence.start, self.sentence.end
        return {
            kind for kind, words in _ROUND_WORDS.items() if self.doc.holds_any(words, start, end)
        }

    @cached_property
    def lead(self) -> tuple[bool, bool]:
        """Whether the words before the sentence's first figure name fieldwork, and whether
        they open with "at that time" (the same for every figure of the sentence)."""
        sentence, first = self.sentence, self.figures[0].char_start
        in_lead = self.doc.holds_any(_FIELDWORK_WORDS, sentence.start, first)
        fieldwork = bool(in_lead and _FIELDWORK.search(self.text[sentence.start : first]))
        that_time = bool(_THAT_TIME.match(self.text, sentence.start, first))
        return fieldwork, that_time

    @cached_property
    def subject_group(self) -> str | None:
        """The group a sentence opens with as its subject ("Green voters were ...")."""
        subject = _SUBJECT_GROUP.match(self.text, self.sentence.start, self.figures[0].char_start)
        return subject.group("group") if subject else None

    def asked_measure(self) -> str | None:
        """The answer an "Asked whether they supported ..." question names."""
        start, end = self.sentence.start, self.sentence.end
        asked = self.doc.holds_any(("asked",), start, end) and _ASKED.search(self.text, start, end)
        if not asked:
            return None
        first = self.figures[0].char_start
        for stance in self.stances:
            if asked.end() <= stance.start < first and stance.measure:
                return stance.measure
        return None


def read_answers(
    doc: Analysis, sentence: Sentence, previous_measure: str | None = None
) -> list[Answer]:
    """The answers a sentence's figures state, in text order."""
    figures = figures_of(doc, sentence)
    text = doc.norm
    if not figures or _OF_THOSE_WHO.match(text, sentence.start, sentence.end):
        return []
    reader = _SentenceReader(doc, sentence, figures)
    readings = [reader.reading(index) for index in range(len(figures))]
    _by_a_to_b(reader, readings)
    measures: list[str | None] = [r.measure if r.kind == "own" else None for r in readings]
    _blame_labels(reader, readings, measures)
    asked = reader.asked_measure()
    for index, reading in enumerate(readings):
        if reading.kind == "breakdown":
            opening = text.rfind("(", sentence.start, figures[index].char_start)
            outer = _last_measure(figures[:index], measures, opening)
            if outer in ("support", "oppose") and reading.intensity:
                measures[index] = INTENSE.get((reading.intensity, outer))
        elif reading.kind in ("echo_yes", "echo_no"):
            base = next((m for m in reversed(measures[:index]) if m), None) or asked
            base = base or previous_measure
            if base is None:
                continue
            wanted_negative = reading.kind == "echo_no"
            measures[index] = base if is_negative(base) == wanted_negative else opposite(base)
    _share_answers(reader, readings, measures)

    answers = []
    for index, (figure, reading, measure) in enumerate(
        zip(figures, readings, measures, strict=True)
    ):
        if measure is None:
            continue
        start, end = (reading.start, reading.end) if reading.end else _shared_span(reader, index)
        if reader.names_threshold and _THRESHOLD.search(
            text, reader.head_start(index), reader.tail_end(index)
        ):
            continue
        answers.append(
            Answer(
                measure=measure,
                figure=figure,
                start=start,
                end=end,
                in_words=not any(ch.isdigit() for ch in text[figure.char_start : figure.char_end]),
                **_placing(reader, index),
            )
        )
    _share_subgroups(answers)
    return answers


def _blame_labels(reader: _SentenceReader, readings: list[_Reading], measures: list) -> None:
    """Under a blame question, a figure followed or labelled by a side names that side: "40%
    said the government, 24% the union", "the government (40%) ... the union (24%)"."""
    text, sentence = reader.text, reader.sentence
    if not (
        reader.doc.holds_any(BLAME_TRIGGERS, sentence.start, sentence.end)
        and BLAME_QUESTION.search(text, sentence.start, sentence.end)
    ):
        return
    for index, figure in enumerate(reader.figures):
        if readings[index].kind == "own" and readings[index].measure:
            continue
        before, after = reader.bounds(index)
        labelled = side_named(SIDE_BEFORE.search(text, before, figure.char_start))
        side = labelled or side_named(SIDE_AFTER.match(text, figure.char_end, after))
        if side:
            measures[index] = side
            readings[index] = _Reading("own", side, *_labelled_span(reader, index))


def _labelled_span(reader: _SentenceReader, index: int) -> tuple[int, int]:
    figure = reader.figures[index]
    before, after = reader.bounds(index)
    label = SIDE_BEFORE.search(reader.text, before, figure.char_start)
    if label:
        return label.start(), figure.char_end
    side = SIDE_AFTER.match(reader.text, figure.char_end, after)
    return figure.char_start, side.end() if side else figure.char_end


def _last_measure(figures: list[Quantity], measures: list[str | None], before: int) -> str | None:
    """The answer of the last figure that ends before a position."""
    found = None
    for figure, measure in zip(figures, measures, strict=False):
        if figure.char_end <= before and measure:
            found = measure
    return found


def _by_a_to_b(reader: _SentenceReader, readings: list[_Reading]) -> None:
    """'voted by 62% to 38% to strike': the first figure the answer, the second its opposite."""
    text, figures = reader.text, reader.figures
    for index in range(1, len(figures)):
        first, second = figures[index - 1], figures[index]
        if not (
            _BY_A_TO_B.match(text[first.char_end : second.char_start])
            and _BY_BEFORE.search(text, reader.sentence.start, first.char_start)
        ):
            continue
        outside = [
            s
            for s in reader.stances
            if s.measure and (s.end <= first.char_start or s.start >= second.char_end)
        ]
        if not outside:
            continue
        measure = outside[0].measure
        readings[index - 1] = _Reading("own", measure, first.char_start, second.char_end)
        if other := opposite(measure):
            readings[index] = _Reading("own", other, first.char_start, second.char_end)


def _share_answers(
    reader: _SentenceReader, readings: list[_Reading], measures: list[str | None]
) -> None:
    """Figures that name no answer take their neighbour's when the grammar shares it."""
    text, figures = reader.text, reader.figures
    for index in reversed(range(len(figures) - 1)):  # "64% of A and 58% of B oppose"
        reading = readings[index]
        gap = text[figures[index].char_end : figures[index + 1].char_start]
        if (
            reading.kind == "none"
            and measures[index + 1]
            and (_COORDINATED.match(gap) or _MORE_LIKELY_THAN.match(gap))
        ):
            measures[index] = measures[index + 1]
    for index in range(1, len(figures)):  # "than B (24%)", "from 22% to 31%"
        previous = measures[index - 1]
        if readings[index].kind != "none" or measures[index] or previous is None:
            continue
        if _PREDICATE.search(text[figures[index].char_end : reader.tail_end(index)]):
            continue  # a verb of its own: the figure answers something else
        gap = text[figures[index - 1].char_end : figures[index].char_start]
        if previous.startswith("other:sympathize_"):
            previous = sympathy_object(gap.split("than")[-1]) or previous
        measures[index] = previous


def _shared_span(reader: _SentenceReader, index: int) -> tuple[int, int]:
    """Evidence of a figure that shares its answer: its clause up to the figure and the words
    after it that belong to it."""
    figure = reader.figures[index]
    start = reader.head_start(index)
    start += len(reader.text[start : figure.char_start]) - len(
        reader.text[start : figure.char_start].lstrip(" ()")
    )
    end = reader.tail_end(index)
    tail = reader.text[figure.char_end : end]
    end = figure.char_end + len(tail.rstrip(" ,(").rstrip())
    return min(start, figure.char_start), max(end, figure.char_end)


def _placing(reader: _SentenceReader, index: int) -> dict:
    """Subgroup, date spans and round markers of one figure."""
    text, figure, sentence = reader.text, reader.figures[index], reader.sentence
    segment_end = reader.segment_end(index)
    segment = text[figure.char_end : segment_end]
    comma = text.find(",", figure.char_end, segment_end)
    near_end = min(segment_end if comma == -1 else comma, figure.char_end + WAVE_DATE_CHARS)
    spans = [(figure.char_end, near_end)]
    named = reader.round_words
    if "wave" in named and _WAVE_WORDS.search(segment):
        spans.append((figure.char_end, segment_end))
    first = reader.figures[0].char_start
    fieldwork, that_time = reader.lead
    head_clause = text[reader.head_start(index) : figure.char_start]
    clause_after = segment.split(",")[0]
    current = (
        "current" in named
        and not _FROM_BEFORE.search(head_clause)
        and bool(_CURRENT.search(clause_after) or _CURRENT.search(head_clause))
    )
    if not fieldwork and not (
        "current" in named and _CURRENT.search(text, first, figure.char_start)
    ):
        spans.append((sentence.start, first))
    return {
        "subgroup": _subgroup(reader, index),
        "date_spans": tuple(spans),
        "current": current,
        "earlier": "earlier" in named
        and bool(_EARLIER.search(head_clause) or _EARLIER.search(segment)),
        "that_time": that_time,
    }


def _subgroup(reader: _SentenceReader, index: int) -> str | None:
    """The part of the sample a figure counts ("2017 Green voters"), or None for all of it:
    the first group named around it that is either."""
    for candidate in _groups_named(reader, index):
        words = _GROUP_CUT.split(candidate.strip())[-1]
        words = _LEADING_ARTICLE.sub("", words)
        if _WHOLE_SAMPLE.match(words):
            return None
        if _SUBGROUP_WORD.search(words):
            return words
    return None


def _groups_named(reader: _SentenceReader, index: int) -> Iterator[str]:
    """The groups the words around a figure may name as the one it counts, in the order they
    are weighed: after it ("of A"), before its bracket ("A (52%)"), before the bracket it stands
    in, the sentence's subject, after "among" (each looked for only when the ones before it do
    not decide)."""
    text, figure, sentence = reader.text, reader.figures[index], reader.sentence
    before, _ = reader.bounds(index)
    if of := _OF_GROUP.match(text, figure.char_end, sentence.end):
        yield of.group("group")
    head = text[before : figure.char_start]
    if head.endswith(("(", "(\n")) and (
        group := _search_at_end(
            _GROUP_BEFORE, near := head[-GROUP_CHARS:], 0, len(near), GROUP_RUNS
        )
    ):
        yield group.group("group")
    opening = text.rfind("(", sentence.start, figure.char_start)
    inside = opening != -1 and ")" not in text[opening : figure.char_start]
    if inside and (
        group := _search_at_end(
            _GROUP_BEFORE, text, max(sentence.start, opening - GROUP_CHARS), opening + 1, GROUP_RUNS
        )
    ):
        yield group.group("group")
    if reader.subject_group is not None:
        yield reader.subject_group
    if reader.doc.holds_any(("among",), sentence.start, figure.char_start) and (
        among := _AMONG.search(text, sentence.start, figure.char_start)
    ):
        yield among.group("group")


def _share_subgroups(answers: list[Answer]) -> None:
    """A figure that names no subgroup in a sentence about one counts the same subgroup."""
    for previous, answer in zip(answers, answers[1:], strict=False):
        if answer.subgroup is None and previous.subgroup is not None:
            answer.subgroup = previous.subgroup
