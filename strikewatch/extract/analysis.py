"""One analysis of a document, built once, that every extraction rule reads.

`Analysis.of(text, published, skip_spans)` normalises the text (same length, so offsets index the
raw text) and finds, in one pass each:
- tokens, and every phrase of every lexicon (`terms`), with character offsets;
- sentences (with their line and paragraph), clause breaks, lines, and list/table blocks with
  their heading line;
- quantities (value, unit, hedge, span) and date, time and duration mentions, resolved against
  the published date;
- places (the `places` lexicon), quoted passages and runs of capitalised words;
- the years written as four digits and the weekday-and-date pairs without a year, for a text
  without a published date.
Rules ask for what lies in a span (`quantities_in`, `dates_in`, `terms_in`, `has`, ...) and
never scan the text again. Terms, quantities and date, time and duration mentions that start
inside a skip span (page furniture, datelines, post timestamps) are left out; capitalised runs,
years and weekday-and-date pairs are read in the whole text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

from strikewatch.extract.dates import (
    DATE_FIRST_WORDS,
    DATE_LEADING_WORDS,
    DATE_NEXT_WORDS,
    DATE_OPENING_WORDS,
    TIME_WORDS,
    DateMention,
    DurationMention,
    TimeMention,
    month_number,
    scan_dates,
    scan_durations,
    scan_times,
)
from strikewatch.extract.numbers import (
    A_FIGURE_GOES_ON,
    FIGURE_CORE_WORDS,
    FIGURE_FIRST_WORDS,
    HEDGE_OPENS,
    HEDGE_RESTS,
    Quantity,
    scan_quantities,
)
from strikewatch.extract.scanning import finditer_at, folded, occurrences
from strikewatch.extract.spans import Spans
from strikewatch.lexicon import Lexicon, all_lexicons
from strikewatch.lexicon import lexicon as named_lexicon
from strikewatch.textnorm import NormalText

TOKEN = re.compile(r"\w+|[^\w\s]")
# What may lie between a phrase's words: spaces and one line break. Possessive: a token never
# opens with whitespace, so a shorter gap never does, and the engine need not try each one.
_GAP = r"[^\S\n]*+\n?+[^\S\n]*+"
# Where a sentence ends: a full stop (or ! or ?) before a capital or a digit, a line break not
# followed by a lower-case word, or (without a mark) between a year and a capital ("2016Doctors":
# found with the digits, see _digit_runs). Each mark has a scan of its own, which the engine skips
# to by the mark alone, where a class of marks makes it test every character against the class.
_SENTENCE_STOPS = {
    mark: re.compile(re.escape(mark) + r"[\"')]*\s+(?=[\"'(]?[A-Z0-9£])") for mark in ".!?"
}
_LINE_BREAKS = re.compile(r"\n\n*(?![^\S\n]*[a-z])")  # a literal first: the engine skips to it
# Ends without a mark before "published at 10:32" glued to a sentence: where this matches.
_STAMP_GLUED = re.compile(r"published at \d")
# Clause breaks are "[,;:()]\s|\s-\s|\"", found a mark at a time (as sentence stops are) and as
# dashes, which the engine skips to.
_CLAUSE_MARKS = {mark: re.compile(re.escape(mark) + r"\s") for mark in ",;:()"}
_CLAUSE_DASH = re.compile(r"-(?<=\s-)\s")
_QUOTED = re.compile(  # the lookbehinds follow the quote marks, so that the engine skips to them
    r'"(?<![\w"]")(?P<straight>[^"\n]+)(?:"|$)|“(?P<curly>[^”\n]+)(?:”|$)'
    r"|‘(?<![\w‘]‘)(?P<single>[^\n]+?)(?:’(?![a-z])|$)",
    re.MULTILINE,
)
_QUOTE_OPENINGS = ('"', "“", "‘")  # what each _QUOTED match opens with
_CHAR_START = operator.attrgetter("char_start")
_START = operator.attrgetter("start")
_SPAN = operator.methodcaller("span")
# A capitalised run: names, titles and initials, one space apart ("Health Secretary Jo Bloggs").
TITLES = rf"(?:{named_lexicon('titles').pattern()})\.?"
APOSTROPHE = "['’]"
NAME_WORD = (
    rf"(?:Ma?c|O{APOSTROPHE}|D{APOSTROPHE})?[A-Z][a-z]+(?:-(?:Ma?c|O{APOSTROPHE})?[A-Z][a-z]+)*"
)
_NAME_TOKEN = rf"(?<![A-Za-z])(?<![a-z]{{2}}['’])(?:{TITLES}|{NAME_WORD}|[A-Z]\.)(?![A-Za-z])"
_CAPITALISED_RUN = re.compile(rf"{_NAME_TOKEN}(?: {_NAME_TOKEN})*")
# Where a capitalised run may start: a capital after no letter, before a lower-case letter, a
# full stop or an apostrophe (the lookbehind follows the capital, so that the engine skips to
# capitals).
_RUN_START = re.compile("[A-Z](?<![A-Za-z][A-Z])[a-z.'’]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WEEKDAY_DATE = re.compile(  # "Thursday 9th March", "Monday 3 to Wednesday 5 of June"
    rf"\b(?P<weekday>{named_lexicon('weekdays').pattern()})\s+(?:the\s+)?(?P<day>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?(?:\s*(?:-|to|and)\s*(?:{named_lexicon('weekdays').pattern()}\s+)?"
    rf"\d{{1,2}}(?:st|nd|rd|th)?)?(?:\s+of)?\s+(?P<month>{named_lexicon('months').pattern()})\b"
)
_BULLETS = "•*·▪–—-"
_BULLET_OPENING = rf"[^\S\n]*+[{re.escape(_BULLETS)}]"  # a line that opens with a bullet
_BULLET_LINE = re.compile(rf"\n{_BULLET_OPENING}")  # the break before such a line
_BULLET_FIRST_LINE = re.compile(_BULLET_OPENING)
MAX_SENTENCE_CHARS = 1000  # a longer run without a full stop is cut, keeping the work linear
BLOCK_ROW_CHARS = 200  # a list or table row is a short line
NON_ASCII_CHUNK = 512  # _non_ascii looks for non-ASCII characters by chunks this long


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Term:
    """A phrase of a lexicon found in the text."""

    start: int
    end: int
    label: str


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Sentence:
    """A sentence (or a line without a full stop): offsets, line and paragraph numbers."""

    start: int
    end: int
    line: int  # 0-based line of the text it starts on
    paragraph: int  # 0-based count of non-blank lines before it


@dataclass(frozen=True)
class Block:
    """A list or table: two or more short rows, under the heading line above them, if any, and
    the lead paragraph above that heading (for a table that follows another under a heading of
    its own, the first table's lead: "Postponed during the walkout: / Monday / rows /
    Tuesday / rows")."""

    heading: tuple[int, int] | None
    rows: tuple[tuple[int, int], ...]
    lead: tuple[int, int] | None = None


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Quotation:
    """Words between quote marks: the span of the words, without the marks."""

    start: int
    end: int
    mark_start: int  # where the opening mark is
    mark_end: int  # just after the closing mark (or the line's end when it is missing)


@dataclass(frozen=True)
class WeekdayDate:
    """A weekday and a day of a month, without a year ("Thursday 9th March")."""

    start: int
    end: int
    weekday: int  # 0 for Monday
    month: int
    day: int


@dataclass
class _Node:
    """A trie node of lexicon phrases: what ends here, and the tokens that may come next."""

    ends: list[tuple[str, str, tuple[str, ...] | None]] = field(default_factory=list)
    next: dict[str, _Node] = field(default_factory=dict)


@cache
def _term_lexicons() -> dict[str, Lexicon]:
    return {name: lex for name, lex in all_lexicons().items() if lex.terms}


@cache
def _phrase_trie() -> _Node:
    """Every term phrase as a path of lower-cased tokens; at its end (lexicon, label, and the
    tokens as written when the lexicon is case-sensitive)."""
    root = _Node()
    for name, lexicon in _term_lexicons().items():
        for phrase, label in lexicon.labels.items():
            tokens = tuple(TOKEN.findall(phrase))
            node = root
            for token in tokens:
                node = node.next.setdefault(token.lower(), _Node())
            node.ends.append((name, label, tokens if lexicon.case_sensitive else None))
    return root


@cache
def _phrase_starts() -> re.Pattern[str]:
    """Where, in lower-cased text, some term phrase begins, its words separated by any run of
    whitespace: the phrases as one character trie."""
    trie: dict = {}
    for lexicon in _term_lexicons().values():
        for phrase in lexicon.labels:
            node = trie
            for char in " ".join(phrase.lower().split()):
                node = node.setdefault(char, {})
            node[""] = {}

    def alternation(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + alternation(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return re.compile(rf"\b(?=(?:{alternation(trie)})(?!\w))")


class _WordStartScan:
    """A pattern tried where a word begins ("\\b" before it), with a group 1. Elsewhere
    than at the text's start it is searched for after the non-word character before the word:
    a character class, which the engine skips along, where "\\b" would make it try the
    pattern at every position."""

    def __init__(self, pattern: str) -> None:
        self.at_start = re.compile(pattern)
        self.after_non_word = re.compile(rf"\W{pattern}")
        self.after_non_word_ascii = re.compile(rf"[^0-9_a-z]{pattern}")  # \W in lower case

    def finditer(self, lowered: str, ascii_words: bool) -> Iterator[re.Match[str]]:
        """The matches of "\\b" and the pattern in lower-cased text, as `finditer` gives them
        (but for the character before the word: read group 1). `ascii_words`: whether every
        word character of the text is ASCII, so that "\\W" is "[^0-9_a-z]" in it."""
        after = self.after_non_word_ascii if ascii_words else self.after_non_word
        first = self.at_start.match(lowered)
        if first is None:
            return after.finditer(lowered)
        return itertools.chain((first,), after.finditer(lowered, first.end()))


@cache
def _longest_phrases() -> _WordStartScan:
    """At each place of lower-cased text where a phrase begins, the longest one (group 1): the
    token trie as nested alternatives, a continuation optional where a phrase ends, so that the
    regex engine finds it; a lookahead, so that phrases starting inside it are found too."""

    def alternation(node: _Node) -> str:
        tails = {}
        for token, child in node.next.items():
            tail = r"\b" if re.match(r"\w", token) else ""  # after a word token: (?!\w)
            if child.next:
                tail += f"(?:{_GAP}{alternation(child)})" + ("?" if child.ends else "")
            tails[token] = tail
        return _char_trie(tails)

    return _WordStartScan(rf"(?=({alternation(_phrase_trie())}))")


def _char_trie(tails: dict[str, str]) -> str:
    """An alternation of strings, each followed by its own regex tail, with common prefixes
    written once (the regex engine then tries each character once, not once per string)."""
    by_first: dict[str, dict[str, str]] = {}
    for string, tail in tails.items():
        by_first.setdefault(string[:1], {})[string[1:]] = tail
    branches = []
    for first, rest in sorted(by_first.items()):
        if first == "":
            branches.append(rest[""])
        elif len(rest) == 1:
            ((string, tail),) = rest.items()
            branches.append(re.escape(first + string) + tail)
        else:
            branches.append(re.escape(first) + _char_trie(rest))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@dataclass(frozen=True)
class _Path:
    """The phrases that end on one path of the token trie, shortest first, as (tokens,
    lexicon, label, tokens as written when exact); `checked` when none is words alone, so that
    where its tokens are found `_phrase_starts` must confirm a phrase begins there as written
    ("walk - out" is not "walk-out"); `whole`, when every phrase on it is the whole path and
    ignores case, the (lexicon, label) each lexicon takes there."""

    tokens: int
    ends: tuple[tuple[int, str, str, tuple[str, ...] | None], ...]
    checked: bool
    whole: tuple[tuple[str, str], ...] | None


@cache
def _paths() -> dict[tuple[str, ...], _Path]:
    """The _Path of each phrase's lower-cased tokens."""
    found: dict[tuple[str, ...], _Path] = {}

    def visit(node: _Node, path: tuple[str, ...], ends: tuple, words_alone: bool) -> None:
        if node.ends:
            ends += tuple((len(path), *end) for end in node.ends)
            words_alone = words_alone or all(re.match(r"\w", token) for token in path)
            whole = None
            if all(depth == len(path) and exact is None for depth, _, _, exact in ends):
                whole = tuple({lexicon: label for _, lexicon, label, _ in ends}.items())
            found[path] = _Path(len(path), ends, not words_alone, whole)
        for token, child in node.next.items():
            visit(child, (*path, token), ends, words_alone)

    visit(_phrase_trie(), (), (), False)
    return found


@cache
def _paths_by_text() -> dict[str, _Path]:
    """The _Path of each phrase written in lower case with single spaces, as it mostly is."""
    paths = _paths()
    return {
        " ".join(phrase.lower().split()): paths[tuple(t.lower() for t in TOKEN.findall(phrase))]
        for lexicon in _term_lexicons().values()
        for phrase in lexicon.labels
    }


@dataclass
class Analysis:
    """A document as the rules see it. Build it with `Analysis.of`."""

    text: str
    norm: str
    published: dt.date | None
    skip: Spans
    terms: dict[str, list[Term]]
    sentences: list[Sentence]
    line_starts: list[int]
    clause_breaks: list[tuple[int, int]]
    quantities: list[Quantity]
    dates: list[DateMention]
    times: list[TimeMention]
    durations: list[DurationMention]
    dated_by_text: bool = True  # False when only the manifest dates an article (not a live blog)

    @classmethod
    def of(
        cls,
        text: str,
        published: dt.date | None,
        skip_spans: Sequence[tuple[int, int]] = (),
        dated_by_text: bool = True,
        normal: NormalText | None = None,
    ) -> Analysis:
        """Analyse a raw text once; `dated_by_text` says whether the text itself gives the day
        it was published (a dateline, or the posts of a live blog); `normal`, the text's
        NormalText where the document layer has it."""
        normal = normal or NormalText.of(text)
        norm, lowered = normal.norm, normal.lowered
        skip = Spans(skip_spans)
        folded_norm = folded(norm, lowered)
        digits, capitals_after_years = _digit_runs(norm)
        non_ascii_words = _non_ascii_word_starts(norm)
        starts = _candidate_starts(lowered, norm, digits, non_ascii_words)
        # lower-cased text read without a flag where that finds what text read ignoring case does
        plain_lowered = lowered if folded_norm is lowered else None
        line_starts = [0] + [m.end() for m in re.finditer("\n", norm)]

        def kept(mentions):
            return skip.outside(list(mentions), _CHAR_START)

        terms, term_starts = _terms(norm, lowered, skip, not non_ascii_words)
        analysis = cls(
            text=text,
            norm=norm,
            published=published,
            skip=skip,
            terms=terms,
            sentences=_after_skipped(
                norm, skip, _sentences(norm, line_starts, capitals_after_years)
            ),
            line_starts=line_starts,
            clause_breaks=_clause_breaks(norm),
            quantities=kept(scan_quantities(norm, starts.figures, plain_lowered)),
            dates=kept(scan_dates(norm, published, starts.dates)),
            times=kept(scan_times(norm, starts.times)),
            durations=kept(scan_durations(norm, starts.figures, plain_lowered)),
            dated_by_text=dated_by_text,
        )
        # what is worked out here already, in place of the cached properties' own work
        analysis._term_starts = term_starts
        analysis.folded = folded_norm
        return analysis

    # --- what lies in a span ---------------------------------------------------------------

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """Quantities that start in [start, end)."""
        starts = self._mention_starts["quantities"]
        return self.quantities[bisect_left(starts, start) : bisect_left(starts, end)]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """Date mentions that start in [start, end)."""
        starts = self._mention_starts["dates"]
        return self.dates[bisect_left(starts, start) : bisect_left(starts, end)]

    def times_in(self, start: int, end: int) -> list[TimeMention]:
        """Clock times that start in [start, end)."""
        starts = self._mention_starts["times"]
        return self.times[bisect_left(starts, start) : bisect_left(starts, end)]

    def durations_in(self, start: int, end: int) -> list[DurationMention]:
        """Durations that start in [start, end)."""
        starts = self._mention_starts["durations"]
        return self.durations[bisect_left(starts, start) : bisect_left(starts, end)]

    @cached_property
    def _mention_starts(self) -> dict[str, list[int]]:
        """The char_start of each mention of each layer, for bisection."""
        layers = {
            "quantities": self.quantities,
            "dates": self.dates,
            "times": self.times,
            "durations": self.durations,
        }
        return {name: [m.char_start for m in mentions] for name, mentions in layers.items()}

    def sentences_with_quantities(self) -> Iterator[tuple[Sentence, list[Quantity]]]:
        """Each sentence that holds a quantity, with its quantities, in order."""
        for _, sentence, quantities in self.numbered_sentences_with_quantities():
            yield sentence, quantities

    @cached_property
    def _quantity_sentences(self) -> list[tuple[int, int, int]]:
        """The index of each sentence that holds a quantity, with the slice of `quantities` in
        it."""
        found = []
        starts = self._mention_starts["quantities"]
        sentences, sentence_starts = self.sentences, self._sentence_starts
        first, count = 0, len(starts)
        while first < count:  # the sentence of the first quantity not yet placed, if any
            index = bisect_right(sentence_starts, starts[first]) - 1
            if index < 0 or sentences[index].end <= starts[first]:  # between sentences
                first += 1
                continue
            last = bisect_left(starts, sentences[index].end, first)
            found.append((index, first, last))
            first = last
        return found

    def terms_in(self, lexicon: str, start: int, end: int) -> list[Term]:
        """Phrases of a lexicon that lie wholly in [start, end)."""
        starts = self._term_starts[lexicon]
        low = bisect_left(starts, start)
        high = bisect_left(starts, end, low)
        if low == high:
            return []
        found = self.terms[lexicon][low:high]
        if found[-1].end > end:  # a lexicon's phrases never overlap: only the last can
            found.pop()
        return found

    def has(self, lexicon: str, start: int, end: int) -> bool:
        """Whether a phrase of the lexicon lies in [start, end)."""
        starts = self._term_starts[lexicon]
        low = bisect_left(starts, start)
        high = bisect_left(starts, end, low)
        # a lexicon's phrases never overlap, so the first one ends first
        return low < high and self.terms[lexicon][low].end <= end

    @cached_property
    def _term_starts(self) -> dict[str, list[int]]:
        """The start of each phrase found of each lexicon, for bisection."""
        return {name: [term.start for term in found] for name, found in self.terms.items()}

    def first(self, lexicon: str, start: int, end: int) -> Term | None:
        """The first phrase of the lexicon in [start, end), or None."""
        found = self.terms_in(lexicon, start, end)
        return found[0] if found else None

    def last(self, lexicon: str, start: int, end: int) -> Term | None:
        """The last phrase of the lexicon in [start, end), or None."""
        found = self.terms_in(lexicon, start, end)
        return found[-1] if found else None

    def term_at(self, lexicon: str, position: int) -> Term | None:
        """The phrase of the lexicon that starts exactly at position, if any."""
        starts = self._term_starts[lexicon]
        index = bisect_left(starts, position)
        if index < len(starts) and starts[index] == position:
            return self.terms[lexicon][index]
        return None

    @cached_property
    def folded(self) -> str:
        """`norm` lower-cased, its look-alikes of ASCII letters made ASCII (scanning.folded)."""
        return folded(self.norm)

    def holds_any(self, strings: tuple[str, ...], start: int, end: int) -> bool:
        """Whether one of the lower-case strings occurs in [start, end) in any case: a cheap
        test that rules out a case-insensitive pattern that needs one of them."""
        span = self.folded[start:end]  # `in` is quicker than find(string, start, end)
        for string in strings:  # noqa: SIM110 (any() of a generator: twice as slow)
            if string in span:
                return True
        return False

    # --- structure ---------------------------------------------------------------------------

    def sentence_at(self, position: int) -> Sentence | None:
        """The sentence holding a position, or None between sentences."""
        index = bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def sentence_index(self, sentence: Sentence) -> int:
        """Position of a sentence in `sentences`."""
        return bisect_left(self._sentence_starts, sentence.start)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return list(map(_START, self.sentences))

    def line_number(self, position: int) -> int:
        """0-based line of a position."""
        return bisect_right(self.line_starts, position) - 1

    def line_span(self, number: int) -> tuple[int, int]:
        """[start, end) of a line, without its line break."""
        start = self.line_starts[number]
        end = (
            self.line_starts[number + 1] - 1
            if number + 1 < len(self.line_starts)
            else len(self.norm)
        )
        return start, end

    def lines_holding(self, phrase: str, any_case: bool = False) -> list[int]:
        """Numbers of the lines whose raw text holds a phrase (of one line), in order. With
        `any_case`, a lower-case phrase written in any case and opening with a capital letter
        (every line when lower-casing the text would move its offsets: "İ")."""
        text = self.text
        if any_case:
            text = self._raw_lowered
            if len(text) != len(self.text):
                return list(range(len(self.line_starts)))
        numbers = []
        found = text.find(phrase)
        while found >= 0:
            if any_case and not "A" <= self.text[found] <= "Z":
                found = text.find(phrase, found + 1)
                continue
            number = bisect_right(self.line_starts, found) - 1
            numbers.append(number)
            if number + 1 == len(self.line_starts):
                break
            found = text.find(phrase, self.line_starts[number + 1])
        return numbers

    @cached_property
    def _raw_lowered(self) -> str:
        return self.text.lower()

    def clause_around(self, sentence: Sentence, left: int, right: int) -> tuple[int, int]:
        """Smallest span between clause breaks of the sentence that holds [left, right)."""
        clause_start, clause_end = sentence.start, sentence.end
        break_starts, break_ends = self._clause_break_starts, self._clause_break_ends
        first = bisect_left(break_starts, sentence.start)
        if left <= right:
            # breaks do not overlap, so their ends ascend too: the last break of the sentence
            # ending by `left`, and its first one starting at `right` or later
            inside = bisect_left(break_starts, sentence.end)
            before = min(bisect_right(break_ends, left), inside) - 1
            if before >= first:
                clause_start = break_ends[before]
            after = max(bisect_left(break_starts, right), first)
            if after < inside:
                clause_end = break_starts[after]
        else:
            for index in range(first, len(break_starts)):
                break_start, break_end = break_starts[index], break_ends[index]
                if break_start >= sentence.end:
                    break
                if break_end <= left:
                    clause_start = break_end
                elif break_start >= right:
                    clause_end = break_start
                    break
        norm = self.norm
        while clause_end > clause_start and norm[clause_end - 1] in " .,;:":
            clause_end -= 1
        return clause_start, max(clause_end, right)

    @cached_property
    def _clause_break_starts(self) -> list[int]:
        return [start for start, _ in self.clause_breaks]

    @cached_property
    def _clause_break_ends(self) -> list[int]:
        return [end for _, end in self.clause_breaks]

    def nearest_place(self, start: int, end: int, position: int) -> str | None:
        """The place named in [start, end) nearest to position."""
        places = [
            (abs(term.start - position), term.label) for term in self.terms_in("places", start, end)
        ]
        return min(places)[1] if places else None

    @cached_property
    def blocks(self) -> list[Block]:
        """Lists and tables: runs of two or more short rows (bulleted, or holding a figure),
        read from the rows alone: the lines between two rows of a run are blank, and the
        heading of a run is the line above it, a text line (not a row)."""
        rows = self._row_lines()
        is_row = set(rows)
        blocks: list[Block] = []
        run: list[int] = []  # the numbers of the lines of the rows of a run
        for number in [*rows, -1]:  # -1: past the last run
            if number >= 0 and run and self._blank_between(run[-1], number):
                run.append(number)
                continue
            if len(run) >= 2:
                heading = self._line_above(run[0])
                lead: tuple[int, int] | None = None
                above = self._line_above(heading) if heading >= 0 else -1
                if blocks and above >= 0 and blocks[-1].rows[-1][0] == self.line_starts[above]:
                    lead = blocks[-1].lead  # a table's heading right after a table
                elif above >= 0:
                    text = self._line_above(above) if above in is_row else above
                    lead = self.line_span(text) if text >= 0 else None
                blocks.append(
                    Block(
                        self.line_span(heading) if heading >= 0 else None,
                        tuple(map(self.line_span, run)),
                        lead,
                    )
                )
            run = [number]
        return blocks

    def _row_lines(self) -> list[int]:
        """The numbers of the lines that may be rows of a list or table, in order: lines of
        BLOCK_ROW_CHARS at most that hold a figure or open with a bullet."""
        found = {self.line_number(q.char_start) for q in self.quantities}
        found.update(self.line_number(m.start() + 1) for m in _BULLET_LINE.finditer(self.norm))
        if _BULLET_FIRST_LINE.match(self.norm):
            found.add(0)
        starts, last = self.line_starts, len(self.line_starts) - 1
        return [
            number
            for number in sorted(found)
            if (starts[number + 1] - 1 if number < last else len(self.norm)) - starts[number]
            <= BLOCK_ROW_CHARS
        ]

    def _blank_between(self, upper: int, lower: int) -> bool:
        """Whether the lines between two lines are blank."""
        return self.norm[self.line_starts[upper + 1] - 1 : self.line_starts[lower]].isspace()

    def _line_above(self, number: int) -> int:
        """The number of the nearest non-blank line above a line, or -1."""
        norm = self.norm
        while number > 0:
            number -= 1
            start, end = self.line_span(number)
            if start < end and not norm[start:end].isspace():
                return number
        return -1

    def block_at(self, position: int) -> Block | None:
        """The list or table whose rows hold a position, if any."""
        index = bisect_right(self._block_starts, position) - 1
        if index >= 0 and position < self.blocks[index].rows[-1][1]:
            return self.blocks[index]
        return None

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.rows[0][0] for block in self.blocks]

    @cached_property
    def quotations(self) -> list[Quotation]:
        """Passages between quote marks (straight or curly double, curly single)."""
        found = []
        # tried only where a quote mark opens one, which str.find skips to
        starts = occurrences(self.text, _QUOTE_OPENINGS)
        for match in finditer_at(_QUOTED, self.text, starts):
            group = match.lastgroup  # the one group of the alternative that matched
            found.append(Quotation(match.start(group), match.end(group), *match.span()))
        return found

    def quotation_at(self, position: int) -> Quotation | None:
        """The quoted passage (the one opening last) that holds a position, if any."""
        index = bisect_right(self._quotation_starts, position) - 1
        while index >= 0:
            quotation = self.quotations[index]
            if position < quotation.end:
                return quotation
            if self._quotation_reach[index] <= position:
                return None
            index -= 1
        return None

    @cached_property
    def _quotation_starts(self) -> list[int]:
        return [quotation.start for quotation in self.quotations]

    @cached_property
    def _quotation_reach(self) -> list[int]:
        """For each quotation, the furthest end of it and those opening before it."""
        reach, furthest = [], -1
        for quotation in self.quotations:
            furthest = max(furthest, quotation.end)
            reach.append(furthest)
        return reach

    # Years and weekday-and-date pairs are read in the whole text, skip spans included: a
    # dateline's year still says when a text without a published date is.
    @cached_property
    def years(self) -> list[int]:
        """Every year from 1900 to 2099 written as four digits on its own, in order."""
        return [int(year) for year in _YEAR.findall(self.norm)]

    @cached_property
    def weekday_dates(self) -> list[WeekdayDate]:
        """Each weekday written before a day and a month ("Thursday 9th March", "Monday the 3rd
        to Wednesday 5th of June": the first day), in order."""
        weekdays = named_lexicon("weekdays")
        return [
            WeekdayDate(
                *match.span(),
                int(weekdays.label(match["weekday"]) or 0),
                month_number(match["month"]),
                int(match["day"]),
            )
            for match in _WEEKDAY_DATE.finditer(self.norm)
        ]

    def paragraphs(self) -> Iterator[tuple[int, int]]:
        """Non-blank lines, in order."""
        for start, line in zip(self.line_starts, self.norm.split("\n"), strict=True):
            if line.strip():
                yield start, start + len(line)

    def lines_capitalising(self, phrase: str) -> list[int]:
        """Numbers of the lines that may hold a lower-case phrase (of one line) written in any
        case and opening with a capital letter, in order: each line of `lines_holding(phrase,
        any_case=True)`, and for an ASCII phrase (read in `folded`, already lower-cased) a
        few more, where a folded space, dash or look-alike letter stands in."""
        if not phrase.isascii() or "\t" in phrase or "\r" in phrase:
            return self.lines_holding(phrase, any_case=True)
        folded, text, line_starts = self.folded, self.text, self.line_starts
        numbers = []
        found = folded.find(phrase)
        while found >= 0:
            if not "A" <= text[found] <= "Z":
                found = folded.find(phrase, found + 1)
                continue
            number = bisect_right(line_starts, found) - 1
            numbers.append(number)
            if number + 1 == len(line_starts):
                break
            found = folded.find(phrase, line_starts[number + 1])
        return numbers

    # --- which sentences hold what: questions about the whole document, answered once -----

    def numbered_sentences_with_quantities(
        self,
    ) -> Iterator[tuple[int, Sentence, list[Quantity]]]:
        """sentences_with_quantities, each with its index in `sentences`."""
        quantities, sentences = self.quantities, self.sentences
        for index, first, last in self._quantity_sentences:
            yield index, sentences[index], quantities[first:last]

    @cached_property
    def percent_sentences(self) -> list[int]:
        """The indices of the sentences that hold a percentage, in order."""
        quantities = self.quantities
        return [
            index
            for index, first, last in self._quantity_sentences
            if any(quantity.unit == "percent" for quantity in quantities[first:last])
        ]

    def sentences_holding(self, lexicon: str) -> set[int]:
        """The indices of the sentences that hold a phrase of the lexicon (as `has` tells of
        each), found from the phrases."""
        found = self._sentences_holding.get(lexicon)
        if found is None:
            found = self._sentences_holding[lexicon] = set()
            sentences, starts = self.sentences, self._sentence_starts
            for term in self.terms[lexicon]:
                index = bisect_right(starts, term.start) - 1
                if index >= 0 and term.end <= sentences[index].end:
                    found.add(index)
        return found

    @cached_property
    def _sentences_holding(self) -> dict[str, set[int]]:
        """sentences_holding, for each lexicon asked about."""
        return {}


def capitalised_runs(text: str) -> list[tuple[int, int]]:
    """Spans of the runs of capitalised words (names, titles, initials: "Health Secretary Jo
    Bloggs", "Dr J. Bloggs"), in order, none starting inside another."""
    runs = []
    run_at = _CAPITALISED_RUN.match
    resume = 0
    for capital in _RUN_START.finditer(text):
        start = capital.start()
        if start < resume or (run := run_at(text, start)) is None:
            continue
        resume = run.end()
        runs.append((start, resume))
    return runs


# A run of digits ("\d+"), written so that the engine skips to its first one by a cheap class of
# ASCII digits and non-ASCII characters (every digit is one or the other), where "\d" is a
# Unicode test per character; the lookbehind then checks the one character found.
_DIGIT_RUN = re.compile(r"[0-9\x80-\U0010ffff](?<=\d)\d*")


def _digit_runs(norm: str) -> tuple[list[int], list[int]]:
    """Where digits begin a word ("\\b\\d"), and where a capital is written right after a year
    (four digits or more, "2016Doctors"), in order."""
    starts, capitals = [], []
    for run in _DIGIT_RUN.finditer(norm):
        start, end = run.span()
        if not start or not (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            starts.append(start)
        if end - start >= 4 and "A" <= norm[end : end + 1] <= "Z":
            capitals.append(end)
    return starts, capitals


# Every word a figure, a date or a time can open with, as one character trie (the engine then
# reads each character once, where a list of words would be tried word by word). A hedge's first
# word ("in", "over") is only taken where the hedge opens ("in excess of"), and a leading word of
# a date ("in", "the", "last") where the date goes on (_date_goes_on): most such words open
# nothing, and the engine rules them out faster than a test of each.
_DATE_GOES_ON = rf"-?\s+(?:{_char_trie(dict.fromkeys(DATE_NEXT_WORDS, ''))}(?!\w)|[0-9])"


def _opening_word_tail(word: str) -> str:
    """What must follow an opening word for it to open a figure, a date or a time."""
    if word == "a":
        return rf"\b(?={A_FIGURE_GOES_ON})"
    if word in FIGURE_CORE_WORDS or word in TIME_WORDS:
        return r"\b"
    if word in DATE_OPENING_WORDS and word not in DATE_LEADING_WORDS:
        return r"\b"
    conditions = [HEDGE_RESTS[word]] if word in HEDGE_RESTS else []
    if word in DATE_LEADING_WORDS:
        conditions.append(_DATE_GOES_ON)
    return rf"\b(?={'|'.join(conditions)})"


_OPENING_WORDS = _WordStartScan(
    "("
    + _char_trie(
        {
            word: _opening_word_tail(word)
            for word in FIGURE_FIRST_WORDS | DATE_OPENING_WORDS | set(TIME_WORDS)
        }
    )
    + ")"
)


@dataclass(frozen=True)
class _Starts:
    """Word starts where figures, dates and clock times may begin."""

    figures: list[int]
    dates: list[int]
    times: list[int]


@cache
def _opening_kinds() -> dict[str, tuple[int, int, bool]]:
    """For each opening word: whether it opens a figure (_ALWAYS, _IF_HEDGE: where HEDGE_OPENS
    matches, or _NEVER), a date (_ALWAYS, _IF_GOES_ON: where _date_goes_on, or _NEVER; a
    lower-case word of DATE_FIRST_WORDS only as written) and a time."""
    kinds = {}
    for word in FIGURE_FIRST_WORDS | DATE_OPENING_WORDS | set(TIME_WORDS):
        figure = _ALWAYS if word in FIGURE_CORE_WORDS else _IF_HEDGE
        if word not in FIGURE_FIRST_WORDS:
            figure = _NEVER
        date = _NEVER
        if word in DATE_OPENING_WORDS:
            # where a leading word is no hedge's, _OPENING_WORDS has found that the date goes on
            goes_on = word in DATE_LEADING_WORDS and word in HEDGE_RESTS
            date = _IF_GOES_ON if goes_on else _ALWAYS
        kinds[word] = (figure, date, word in TIME_WORDS)
    return kinds


_NEVER, _ALWAYS, _IF_HEDGE, _IF_GOES_ON = range(4)


def _candidate_starts(
    lowered: str, norm: str, digits: list[int], non_ascii_words: list[int]
) -> _Starts:
    """Word starts where a figure may begin (digits, number words, hedges that open one here),
    where a date may (digits, and the words dates open with: in any case but for the
    lower-case words of DATE_FIRST_WORDS, which must be written so), and where a time may
    (digits, TIME_WORDS); words with non-ASCII letters are tried for all. `digits`: where
    digits begin a word; `non_ascii_words`: where words with non-ASCII letters do."""
    figures, dates, times = [], [], []
    kinds, hedge_opens = _opening_kinds(), HEDGE_OPENS.match
    for match in _OPENING_WORDS.finditer(lowered, not non_ascii_words):
        start, word = match.start(1), match[1]
        figure, date, time = kinds[word]
        if figure == _ALWAYS or (figure == _IF_HEDGE and hedge_opens(norm, start)):
            figures.append(start)
        if (
            date
            and (not "a" <= norm[start] <= "z" or norm[start : match.end()] in DATE_FIRST_WORDS)
            and (date == _ALWAYS or _date_goes_on(lowered, match.end()))
        ):
            dates.append(start)
        if time:
            times.append(start)
    if not non_ascii_words:  # words open with a letter, never where a digit does: no repeats
        return _Starts(sorted(digits + figures), sorted(digits + dates), sorted(digits + times))
    everywhere = set(digits).union(non_ascii_words)
    return _Starts(
        sorted(everywhere.union(figures)),
        sorted(everywhere.union(dates)),
        sorted(everywhere.union(times)),
    )


_NEXT_WORD = re.compile(r"-?\s+(\w+)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _date_goes_on(lowered: str, position: int) -> bool:
    """Whether the word after a position may go on with a date opened by DATE_LEADING_WORDS."""
    following = _NEXT_WORD.match(lowered, position)
    return following is not None and (
        following[1] in DATE_NEXT_WORDS or "0" <= following[1][0] <= "9"
    )


def _non_ascii(text: str) -> Iterator[re.Match[str]]:
    """The non-ASCII characters of a text, in order. They are rare: the regex engine looks for
    them only in the chunks of the text that hold one, which a chunk tells in one C pass
    (str.isascii) that is far faster."""
    return itertools.chain.from_iterable(
        _NON_ASCII.finditer(text, chunk, chunk + NON_ASCII_CHUNK)
        for chunk in range(0, len(text), NON_ASCII_CHUNK)
        if not text[chunk : chunk + NON_ASCII_CHUNK].isascii()
    )


def _non_ascii_word_starts(norm: str) -> list[int]:
    """Starts of the words that hold a non-ASCII letter or digit (most non-ASCII characters in
    news text are marks: "£", "•")."""
    starts = []
    for match in _non_ascii(norm):
        if not match[0].isalnum():
            continue
        start = match.start()
        while start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            start -= 1
        if not starts or starts[-1] != start:
            starts.append(start)
    return starts


def _terms(
    norm: str, lowered: str, skip: Spans, ascii_words: bool
) -> tuple[dict[str, list[Term]], dict[str, list[int]]]:
    """The phrases of every term lexicon, and their starts: at each place a phrase begins, the
    longest phrase of each lexicon that begins there, unless a phrase of that lexicon already
    covers it. Between a phrase's tokens may lie spaces and one line break. A phrase that starts
    in a skip span is left out, but still covers the phrases of its lexicon that start inside
    it. `ascii_words`: whether every word character of the text is ASCII."""
    paths, paths_by_text, phrase_starts = _paths(), _paths_by_text(), _phrase_starts()
    terms: dict[str, list[Term]] = {name: [] for name in _term_lexicons()}
    starts: dict[str, list[int]] = {name: [] for name in terms}
    covered = dict.fromkeys(terms, -1)  # lexicon -> end of its last phrase
    beyond = len(lowered) + 1  # a position past every phrase's start
    skips = zip([*skip.starts, beyond], [*skip.ends, beyond], strict=True)
    skip_start, skip_end = next(skips)  # the first skip span not wholly passed
    for found in _longest_phrases().finditer(lowered, ascii_words):
        start = found.start(1)
        phrase = found[1]
        end = start + len(phrase)
        while skip_end <= start:
            skip_start, skip_end = next(skips)
        kept = start < skip_start
        path = paths_by_text.get(phrase)
        if path is None:
            path = paths[tuple(TOKEN.findall(lowered, start, end))]
        if path.checked and not phrase_starts.match(lowered, start):
            continue
        if path.whole is not None:
            for lexicon, label in path.whole:
                if covered[lexicon] <= start:
                    if kept:
                        terms[lexicon].append(Term(start, end, label))
                        starts[lexicon].append(start)
                    covered[lexicon] = end
            continue
        longest: dict[str, tuple[int, str]] = {}
        token_ends: list[int] | None = None
        written: list[str] | None = None
        for depth, lexicon, label, exact in path.ends:
            if exact is not None:
                written = written or TOKEN.findall(norm, start, end)
                if tuple(written[:depth]) != exact:
                    continue
            if depth < path.tokens:
                token_ends = token_ends or [m.end() for m in TOKEN.finditer(lowered, start, end)]
                longest[lexicon] = (token_ends[depth - 1], label)
            else:
                longest[lexicon] = (end, label)
        for lexicon, (phrase_end, label) in longest.items():
            if covered[lexicon] <= start:
                if kept:
                    terms[lexicon].append(Term(start, phrase_end, label))
                    starts[lexicon].append(start)
                covered[lexicon] = phrase_end
    return terms, starts


_TRIMMED = "•*·▪–—-"  # with whitespace, what a sentence does not start with
_LEADING = re.compile(rf"[\s{_TRIMMED}]*")


def _clause_breaks(norm: str) -> list[tuple[int, int]]:
    """Spans of the clause breaks, in order, none overlapping (the earlier one wins)."""
    marks = [(start, start + 1) for start in occurrences(norm, ('"',))]
    for mark, pattern in _CLAUSE_MARKS.items():
        if mark in norm:
            marks += map(_SPAN, pattern.finditer(norm))
    marks.sort()  # marks never overlap: each is a mark, then a space at most
    dashes = [(match.start() - 1, match.end()) for match in _CLAUSE_DASH.finditer(norm)]
    if not dashes:
        return marks
    breaks: list[tuple[int, int]] = []
    for span in sorted(marks + dashes):
        if not breaks or span[0] >= breaks[-1][1]:
            breaks.append(span)
    return breaks


def _sentence_ends(norm: str, capitals_after_years: list[int]) -> list[tuple[int, int]]:
    """Spans of the breaks between sentences, in order (empty spans for unmarked ends), given
    the capitals written right after a year (see _digit_runs)."""
    ends = [(start, start) for start in capitals_after_years]
    for mark, stop in _SENTENCE_STOPS.items():
        if mark in norm:
            ends += map(_SPAN, stop.finditer(norm))
    line_breaks = list(map(_SPAN, _LINE_BREAKS.finditer(norm)))
    ends += [
        (match.start(), match.start())
        for match in _STAMP_GLUED.finditer(norm)
        if match.start() and norm[match.start() - 1] in "abcdefghijklmnopqrstuvwxyz)'\""
    ]
    ends.sort()
    if not line_breaks:
        return ends
    # a run of line breaks in the spaces after a stop is part of the stop's span: a scan of
    # all the ends would not have looked for it there
    stop_starts = [start for start, _ in ends]
    for line_break in line_breaks:
        before = bisect_right(stop_starts, line_break[0]) - 1
        if before < 0 or ends[before][1] <= line_break[0]:
            ends.append(line_break)
    ends.sort()
    return ends


def _after_skipped(norm: str, skip: Spans, sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that open inside a skip span and run on past it (a stamp before the text of
    its line: " date 2023-05-05 Nurses voted ...") start where the text after the span does."""
    if not skip.starts:
        return sentences
    kept = list(sentences)
    starts = [sentence.start for sentence in sentences]
    for span_start, span_end in zip(skip.starts, skip.ends, strict=True):
        first, last = bisect_left(starts, span_start), bisect_left(starts, span_end)
        for index in range(first, last):
            sentence = kept[index]
            if span_end < sentence.end:
                rest = norm[span_end : sentence.end]
                start = span_end + len(rest) - len(rest.lstrip())
                kept[index] = Sentence(start, sentence.end, sentence.line, sentence.paragraph)
    return kept


def _sentences(
    norm: str, line_starts: list[int], capitals_after_years: list[int]
) -> list[Sentence]:
    """Sentences (or lines) of the text, whitespace and bullets trimmed (`capitals_after_years`:
    see _digit_runs)."""
    spans, begin = [], 0
    for start, end in _sentence_ends(norm, capitals_after_years):
        mark = norm[start]
        spans.append((begin, start + 1 if mark in ".!?" else start))
        begin = end if mark in ".!?\n" else start
    spans.append((begin, len(norm)))
    # a line's paragraph: the count of non-blank lines before it
    non_blank = [bool(line.strip()) for line in norm.split("\n")]
    paragraph_of_line = list(itertools.accumulate(non_blank[:-1], initial=0))
    sentences = []
    leading = _LEADING.match
    for left, right in spans:
        if right <= left:
            continue
        pieces = (
            ((left, right),)
            if right - left <= MAX_SENTENCE_CHARS
            else [
                (piece, min(right, piece + MAX_SENTENCE_CHARS))
                for piece in range(left, right, MAX_SENTENCE_CHARS)
            ]
        )
        for piece, limit in pieces:
            first = norm[piece]
            start = (
                leading(norm, piece, limit).end() if first in _TRIMMED or first.isspace() else piece
            )
            if start == limit:
                continue
            end = (
                limit if not norm[limit - 1].isspace() else start + len(norm[start:limit].rstrip())
            )
            line = bisect_right(line_starts, start) - 1
            sentences.append(Sentence(start, end, line, paragraph_of_line[line]))
    return sentences
