"""One analysis of a document, built once, that every extraction rule reads.

`Analysis.of(text, published, skip_spans)` normalises the text (same length, so offsets index the
raw text) and finds, in one pass each:
- tokens, and every phrase of every lexicon (`terms`), with character offsets;
- sentences (with their line and paragraph), clause breaks, lines, and list/table blocks with
  their heading line;
- quantities (value, unit, hedge, span) and date, time and duration mentions, resolved against
  the published date;
- places (the `places` lexicon), quoted passages and runs of capitalised words.
Rules ask for what lies in a span (`quantities_in`, `dates_in`, `terms_in`, `has`, ...) and
never scan the text again. Mentions that start inside a skip span (page furniture, datelines,
post timestamps) are left out of every list.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

from strikewatch.extract.dates import (
    DATE_FIRST_WORDS,
    DateMention,
    DurationMention,
    TimeMention,
    scan_dates,
    scan_durations,
    scan_times,
)
from strikewatch.extract.numbers import FIGURE_FIRST_WORDS, Quantity, scan_quantities
from strikewatch.extract.spans import Spans
from strikewatch.lexicon import Lexicon, all_lexicons
from strikewatch.textnorm import lower_same_length, normalize

TOKEN = re.compile(r"\w+|[^\w\s]")
_GAP = re.compile(r"[^\S\n]*\n?[^\S\n]*")  # what may lie between a phrase's words
_SENTENCE_END = re.compile(
    r"[.!?][\"')]*\s+(?=[\"'(]?[A-Z0-9£])|\n+(?![^\S\n]*[a-z])|(?<=[a-z)'\"])(?=published at \d)"
    r"|(?<=\d{4})(?=[A-Z])"
)
_CLAUSE_BREAK = re.compile(r"[,;:()]\s|\s-\s|\"")
_QUOTED = re.compile(
    r'(?<![\w"])"(?P<straight>[^"\n]+)(?:"|$)|“(?P<curly>[^”\n]+)(?:”|$)'
    r"|(?<![\w‘])‘(?P<single>[^\n]+?)(?:’(?![a-z])|$)",
    re.MULTILINE,
)
_TITLES_FOR_RUNS = None  # set on first use by _capitalised_run_pattern
_BULLETS = "•*·▪–—-"
MAX_SENTENCE_CHARS = 1000  # a longer run without a full stop is cut, keeping the work linear
BLOCK_ROW_CHARS = 200  # a list or table row is a short line


@dataclass(frozen=True)
class Term:
    """A phrase of a lexicon found in the text."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
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
    its own, the first table's lead: "Cancelled because of the strike: / Monday / rows /
    Tuesday / rows")."""

    heading: tuple[int, int] | None
    rows: tuple[tuple[int, int], ...]
    lead: tuple[int, int] | None = None


@dataclass(frozen=True)
class Quotation:
    """Words between quote marks: the span of the words, without the marks."""

    start: int
    end: int
    mark_start: int  # where the opening mark is
    mark_end: int  # just after the closing mark (or the line's end when it is missing)


@dataclass
class _Node:
    """A trie node of lexicon phrases: what ends here, and the tokens that may come next."""

    ends: list[tuple[str, str, tuple[str, ...] | None]] = field(default_factory=list)
    next: dict[str, _Node] = field(default_factory=dict)


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
    """Where, in lower-cased text, some term phrase begins: the phrases as one character trie,
    so that the search runs in the regex engine and Python looks only at real matches."""
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
    _term_starts: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _mention_starts: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        text: str,
        published: dt.date | None,
        skip_spans: Sequence[tuple[int, int]] = (),
        dated_by_text: bool = True,
    ) -> Analysis:
        """Analyse a raw text once; `dated_by_text` says whether the text itself gives the day
        it was published (a dateline, or the posts of a live blog)."""
        norm = normalize(text)
        skip = Spans(skip_spans)
        lowered = lower_same_length(norm)
        terms = _terms(norm, lowered)
        figure_starts, date_starts = _candidate_starts(lowered, norm)
        line_starts = [0] + [m.end() for m in re.finditer("\n", norm)]

        def kept(mentions):
            return [m for m in mentions if not skip.contains(m.char_start)]

        analysis = cls(
            text=text,
            norm=norm,
            published=published,
            skip=skip,
            terms={
                name: [t for t in found if not skip.contains(t.start)]
                for name, found in terms.items()
            },
            sentences=_after_skipped(norm, skip, _sentences(norm, line_starts)),
            line_starts=line_starts,
            clause_breaks=[m.span() for m in _CLAUSE_BREAK.finditer(norm)],
            quantities=kept(scan_quantities(norm, figure_starts)),
            dates=kept(scan_dates(norm, published, date_starts)),
            times=kept(scan_times(norm, figure_starts)),
            durations=kept(scan_durations(norm, figure_starts)),
            dated_by_text=dated_by_text,
        )
        return analysis

    # --- what lies in a span ---------------------------------------------------------------

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """Quantities that start in [start, end)."""
        return self._between("quantities", start, end)

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """Date mentions that start in [start, end)."""
        return self._between("dates", start, end)

    def times_in(self, start: int, end: int) -> list[TimeMention]:
        """Clock times that start in [start, end)."""
        return self._between("times", start, end)

    def durations_in(self, start: int, end: int) -> list[DurationMention]:
        """Durations that start in [start, end)."""
        return self._between("durations", start, end)

    def _between(self, layer: str, start: int, end: int) -> list:
        """Mentions of a layer (sorted by char_start) that start in [start, end)."""
        mentions = getattr(self, layer)
        starts = self._mention_starts.get(layer)
        if starts is None:
            starts = self._mention_starts[layer] = [m.char_start for m in mentions]
        return mentions[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def sentences_with_quantities(self) -> Iterator[tuple[Sentence, list[Quantity]]]:
        """Each sentence that holds a quantity, with its quantities, in order."""
        index, count = 0, len(self.quantities)
        for sentence in self.sentences:
            while index < count and self.quantities[index].char_start < sentence.start:
                index += 1
            first = index
            while index < count and self.quantities[index].char_start < sentence.end:
                index += 1
            if index > first:
                yield sentence, self.quantities[first:index]

    def terms_in(self, lexicon: str, start: int, end: int) -> list[Term]:
        """Phrases of a lexicon that lie wholly in [start, end)."""
        found = self.terms[lexicon]
        starts = self._term_starts.get(lexicon)
        if starts is None:
            starts = self._term_starts[lexicon] = [term.start for term in found]
        low, high = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [term for term in found[low:high] if term.end <= end]

    def has(self, lexicon: str, start: int, end: int) -> bool:
        """Whether a phrase of the lexicon lies in [start, end)."""
        return bool(self.terms_in(lexicon, start, end))

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
        self.terms_in(lexicon, position, position)  # builds the start list
        starts = self._term_starts[lexicon]
        index = bisect.bisect_left(starts, position)
        if index < len(starts) and starts[index] == position:
            return self.terms[lexicon][index]
        return None

    # --- structure ---------------------------------------------------------------------------

    def sentence_at(self, position: int) -> Sentence | None:
        """The sentence holding a position, or None between sentences."""
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def sentence_index(self, sentence: Sentence) -> int:
        """Position of a sentence in `sentences`."""
        return bisect.bisect_left(self._sentence_starts, sentence.start)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [sentence.start for sentence in self.sentences]

    def line_number(self, position: int) -> int:
        """0-based line of a position."""
        return bisect.bisect_right(self.line_starts, position) - 1

    def line_span(self, number: int) -> tuple[int, int]:
        """[start, end) of a line, without its line break."""
        start = self.line_starts[number]
        end = (
            self.line_starts[number + 1] - 1
            if number + 1 < len(self.line_starts)
            else len(self.norm)
        )
        return start, end

    def clause_around(self, sentence: Sentence, left: int, right: int) -> tuple[int, int]:
        """Smallest span between clause breaks of the sentence that holds [left, right)."""
        clause_start, clause_end = sentence.start, sentence.end
        breaks = self.clause_breaks
        for index in range(bisect.bisect_left(breaks, (sentence.start, 0)), len(breaks)):
            break_start, break_end = breaks[index]
            if break_start >= sentence.end:
                break
            if break_end <= left:
                clause_start = break_end
            elif break_start >= right:
                clause_end = break_start
                break
        while clause_end > clause_start and self.norm[clause_end - 1] in " .,;:":
            clause_end -= 1
        return clause_start, max(clause_end, right)

    def nearest_place(self, start: int, end: int, position: int) -> str | None:
        """The place named in [start, end) nearest to position."""
        places = [
            (abs(term.start - position), term.label) for term in self.terms_in("places", start, end)
        ]
        return min(places)[1] if places else None

    @cached_property
    def blocks(self) -> list[Block]:
        """Lists and tables: runs of two or more short rows (bulleted, or holding a figure)."""
        figure_lines = {self.line_number(q.char_start) for q in self.quantities}
        blocks: list[Block] = []
        rows: list[tuple[int, int]] = []
        heading: tuple[int, int] | None = None
        lead: tuple[int, int] | None = None
        texts: list[tuple[int, int] | None] = [None, None]  # the last two text lines
        after_table = False  # whether the last text line came right after a table
        for number in range(len(self.line_starts)):
            start, end = self.line_span(number)
            line = self.norm[start:end]
            if not line.strip():
                continue
            is_row = len(line) <= BLOCK_ROW_CHARS and (
                line.lstrip()[:1] in _BULLETS or number in figure_lines
            )
            if is_row:
                if not rows:
                    heading = texts[-1]
                    lead = blocks[-1].lead if after_table and blocks else texts[-2]
                rows.append((start, end))
                continue
            if len(rows) >= 2:
                blocks.append(Block(heading, tuple(rows), lead))
            after_table = len(rows) >= 2
            rows = []
            texts = [texts[-1], (start, end)]
        if len(rows) >= 2:
            blocks.append(Block(heading, tuple(rows), lead))
        return blocks

    def block_at(self, position: int) -> Block | None:
        """The list or table whose rows hold a position, if any."""
        index = bisect.bisect_right(self._block_starts, position) - 1
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
        for match in _QUOTED.finditer(self.text):
            group = next(g for g in ("straight", "curly", "single") if match.group(g) is not None)
            found.append(Quotation(match.start(group), match.end(group), *match.span()))
        return found

    def quotation_at(self, position: int) -> Quotation | None:
        """The quoted passage (the one opening last) that holds a position, if any."""
        index = bisect.bisect_right(self._quotation_starts, position) - 1
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

    def paragraphs(self) -> Iterator[tuple[int, int]]:
        """Non-blank lines, in order."""
        for number in range(len(self.line_starts)):
            start, end = self.line_span(number)
            if self.norm[start:end].strip():
                yield start, end


def _words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Whole words of a set, longest first."""
    return re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")


_DIGIT_START = re.compile(r"\b\d")
_CAPITAL_OR_DIGIT_START = re.compile(r"\b[^\Wa-z]")
_FIGURE_WORDS = _words_pattern(FIGURE_FIRST_WORDS)
_DATE_WORDS = _words_pattern(DATE_FIRST_WORDS)
_NON_ASCII_WORD = re.compile(r"\w*[^\x00-\x7f]")


def _candidate_starts(lowered: str, norm: str) -> tuple[list[int], list[int]]:
    """Word starts where a figure may begin (digits, number words, hedges) and where a date may
    (a word that is not lower case, or one dates open with); words with non-ASCII letters are
    tried for both."""
    non_ascii = [] if norm.isascii() else _non_ascii_word_starts(norm)
    figures = heapq.merge(
        (m.start() for m in _DIGIT_START.finditer(norm)),
        (m.start() for m in _FIGURE_WORDS.finditer(lowered)),
        non_ascii,
    )
    dates = heapq.merge(
        (m.start() for m in _CAPITAL_OR_DIGIT_START.finditer(norm)),
        (m.start() for m in _DATE_WORDS.finditer(norm)),
        non_ascii,
    )
    return list(dict.fromkeys(figures)), list(dict.fromkeys(dates))


def _non_ascii_word_starts(norm: str) -> list[int]:
    """Starts of the words that hold a non-ASCII character."""
    starts = []
    for match in re.finditer(r"[^\x00-\x7f]", norm):
        start = match.start()
        while start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
            start -= 1
        if not starts or starts[-1] != start:
            starts.append(start)
    return starts


def _terms(norm: str, lowered: str) -> dict[str, list[Term]]:
    """The phrases of every term lexicon: at each place a phrase begins, the longest phrase of
    each lexicon that begins there, unless a phrase of that lexicon already covers it."""
    root = _phrase_trie()
    terms: dict[str, list[Term]] = {name: [] for name in _term_lexicons()}
    covered: dict[str, int] = {}  # lexicon -> end of its last phrase
    for candidate in _phrase_starts().finditer(lowered):
        start = candidate.start()
        longest: dict[str, tuple[int, str]] = {}
        node: _Node | None = root
        written: list[str] = []
        position = start
        while node is not None:
            token = TOKEN.match(norm, position)
            if token is None:
                break
            node = node.next.get(lowered[token.start() : token.end()])
            if node is None:
                break
            written.append(token.group())
            for lexicon, label, exact in node.ends:
                if exact is None or tuple(written) == exact:
                    longest[lexicon] = (token.end(), label)
            gap = _GAP.match(norm, token.end())
            if gap is None:
                break
            position = gap.end()
        for lexicon, (end, label) in longest.items():
            if covered.get(lexicon, -1) <= start:
                terms[lexicon].append(Term(start, end, label))
                covered[lexicon] = end
    return terms


_LEADING = re.compile(r"[\s•*·▪–—-]*")
_BLANK_LINE = re.compile(r"^[^\S\n]*$", re.MULTILINE)


def _after_skipped(norm: str, skip: Spans, sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that open inside a skip span and run on past it (a stamp before the text of
    its line: " date 2023-05-05 Nurses voted ...") start where the text after the span does."""
    kept = []
    for sentence in sentences:
        skipped_to = skip.end_of(sentence.start)
        if skipped_to is not None and skipped_to < sentence.end:
            start = (
                skipped_to
                + len(norm[skipped_to : sentence.end])
                - len(norm[skipped_to : sentence.end].lstrip())
            )
            sentence = Sentence(start, sentence.end, sentence.line, sentence.paragraph)
        kept.append(sentence)
    return kept


def _sentences(norm: str, line_starts: list[int]) -> list[Sentence]:
    """Sentences (or lines) of the text, whitespace and bullets trimmed."""
    spans, begin = [], 0
    for match in _SENTENCE_END.finditer(norm):
        cut = match.start() + 1 if norm[match.start()] in ".!?" else match.start()
        spans.append((begin, cut))
        begin = match.end() if norm[match.start()] in ".!?\n" else match.start()
    spans.append((begin, len(norm)))
    blank_starts = [match.start() for match in _BLANK_LINE.finditer(norm)]
    sentences = []
    for left, right in spans:
        for piece in range(left, right, MAX_SENTENCE_CHARS):
            start = _LEADING.match(norm, piece, min(right, piece + MAX_SENTENCE_CHARS)).end()
            end = start + len(norm[start : min(right, piece + MAX_SENTENCE_CHARS)].rstrip())
            if end > start:
                line = bisect.bisect_right(line_starts, start) - 1
                blank = bisect.bisect_left(blank_starts, line_starts[line])
                sentences.append(Sentence(start, end, line, line - blank))
    return sentences
