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
from strikewatch.lexicon import all_lexicons
from strikewatch.textnorm import normalize

TOKEN = re.compile(r"\w+|[^\w\s]")
_SENTENCE_END = re.compile(
    r"[.!?][\"')]*\s+(?=[\"'(]?[A-Z0-9£])|\n+|(?<=[a-z)'\"])(?=published at \d)"
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
    """A list or table: two or more short rows, under the heading line above them, if any."""

    heading: tuple[int, int] | None
    rows: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Quotation:
    """Words between quote marks: the span of the words, without the marks."""

    start: int
    end: int
    mark_start: int  # where the opening mark is
    mark_end: int  # just after the closing mark (or the line's end when it is missing)


@dataclass(frozen=True)
class _Phrase:
    lexicon: str
    folded: tuple[str, ...]
    exact: tuple[str, ...] | None  # the tokens as written, for case-sensitive lexicons
    label: str


@cache
def _phrase_index() -> dict[str, list[_Phrase]]:
    """Every lexicon phrase, by its first token lower-cased; longest phrases first."""
    index: dict[str, list[_Phrase]] = {}
    for name, lexicon in all_lexicons().items():
        for phrase, label in lexicon.labels.items():
            tokens = tuple(TOKEN.findall(phrase))
            if not tokens:
                continue
            folded = tuple(token.lower() for token in tokens)
            exact = tokens if lexicon.case_sensitive else None
            index.setdefault(folded[0], []).append(_Phrase(name, folded, exact, label))
    for phrases in index.values():
        phrases.sort(key=lambda p: -len(p.folded))
    return index


@dataclass
class Analysis:
    """A document as the rules see it. Build it with `Analysis.of`."""

    text: str
    norm: str
    published: dt.date | None
    skip: Spans
    token_starts: list[int]
    token_ends: list[int]
    terms: dict[str, list[Term]]
    sentences: list[Sentence]
    line_starts: list[int]
    clause_breaks: list[tuple[int, int]]
    quantities: list[Quantity]
    dates: list[DateMention]
    times: list[TimeMention]
    durations: list[DurationMention]
    _term_starts: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls, text: str, published: dt.date | None, skip_spans: Sequence[tuple[int, int]] = ()
    ) -> Analysis:
        """Analyse a raw text once."""
        norm = normalize(text)
        skip = Spans(skip_spans)
        lowered = norm.lower()
        token_starts, token_ends, terms = _tokens_and_terms(norm, lowered)
        figure_starts, date_starts = [], []
        for start, end in zip(token_starts, token_ends, strict=True):
            first = norm[start]
            if not (first.isalnum() or first == "_"):
                continue
            word = lowered[start:end]
            ascii_word = word.isascii()
            if first.isdigit() or word in FIGURE_FIRST_WORDS or not ascii_word:
                figure_starts.append(start)
            if not first.islower() or word in DATE_FIRST_WORDS or not ascii_word:
                date_starts.append(start)
        line_starts = [0] + [m.end() for m in re.finditer("\n", norm)]

        def kept(mentions):
            return [m for m in mentions if not skip.contains(m.char_start)]

        analysis = cls(
            text=text,
            norm=norm,
            published=published,
            skip=skip,
            token_starts=token_starts,
            token_ends=token_ends,
            terms={
                name: [t for t in found if not skip.contains(t.start)]
                for name, found in terms.items()
            },
            sentences=_sentences(norm, line_starts),
            line_starts=line_starts,
            clause_breaks=[m.span() for m in _CLAUSE_BREAK.finditer(norm)],
            quantities=kept(scan_quantities(norm, figure_starts)),
            dates=kept(scan_dates(norm, published, date_starts)),
            times=kept(scan_times(norm)),
            durations=kept(scan_durations(norm)),
        )
        return analysis

    # --- what lies in a span ---------------------------------------------------------------

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """Quantities that start in [start, end)."""
        return _between(self.quantities, start, end)

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """Date mentions that start in [start, end)."""
        return _between(self.dates, start, end)

    def times_in(self, start: int, end: int) -> list[TimeMention]:
        """Clock times that start in [start, end)."""
        return _between(self.times, start, end)

    def durations_in(self, start: int, end: int) -> list[DurationMention]:
        """Durations that start in [start, end)."""
        return _between(self.durations, start, end)

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
        found = self.terms_in(lexicon, position, position + 1)
        return found[0] if found else None

    def words_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """Token spans in [start, end)."""
        low = bisect.bisect_left(self.token_starts, start)
        high = bisect.bisect_left(self.token_starts, end)
        return [
            (s, e)
            for s, e in zip(self.token_starts[low:high], self.token_ends[low:high], strict=True)
            if e <= end
        ]

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
        low = bisect.bisect_left(self.clause_breaks, (sentence.start, 0))
        for break_start, break_end in self.clause_breaks[low:]:
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
        previous_text: tuple[int, int] | None = None
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
                    heading = previous_text
                rows.append((start, end))
                continue
            if len(rows) >= 2:
                blocks.append(Block(heading, tuple(rows)))
            rows = []
            previous_text = (start, end)
        if len(rows) >= 2:
            blocks.append(Block(heading, tuple(rows)))
        return blocks

    @cached_property
    def quotations(self) -> list[Quotation]:
        """Passages between quote marks (straight or curly double, curly single)."""
        found = []
        for match in _QUOTED.finditer(self.text):
            group = next(g for g in ("straight", "curly", "single") if match.group(g) is not None)
            found.append(Quotation(match.start(group), match.end(group), *match.span()))
        return found

    def paragraphs(self) -> Iterator[tuple[int, int]]:
        """Non-blank lines, in order."""
        for number in range(len(self.line_starts)):
            start, end = self.line_span(number)
            if self.norm[start:end].strip():
                yield start, end


def _between(mentions: Sequence, start: int, end: int) -> list:
    """Mentions (sorted by char_start) that start in [start, end)."""
    low = bisect.bisect_left(mentions, start, key=_char_start)
    return list(mentions[low : bisect.bisect_left(mentions, end, key=_char_start)])


def _char_start(mention) -> int:
    return mention.char_start


def _tokens_and_terms(
    norm: str, lowered: str
) -> tuple[list[int], list[int], dict[str, list[Term]]]:
    """Token offsets, and the phrases of every lexicon, longest first, not overlapping."""
    index = _phrase_index()
    starts: list[int] = []
    ends: list[int] = []
    for match in TOKEN.finditer(norm):
        starts.append(match.start())
        ends.append(match.end())
    terms: dict[str, list[Term]] = {name: [] for name in all_lexicons()}
    covered: dict[str, int] = {}  # lexicon -> end of its last match
    count = len(starts)
    for i in range(count):
        phrases = index.get(lowered[starts[i] : ends[i]])
        if phrases is None:
            continue
        for phrase in phrases:
            if covered.get(phrase.lexicon, -1) > starts[i]:
                continue
            n = len(phrase.folded)
            if i + n > count or not _matches(norm, lowered, starts, ends, i, phrase):
                continue
            end = ends[i + n - 1]
            terms[phrase.lexicon].append(Term(starts[i], end, phrase.label))
            covered[phrase.lexicon] = end
    return starts, ends, terms


def _matches(
    norm: str, lowered: str, starts: list[int], ends: list[int], i: int, phrase: _Phrase
) -> bool:
    """Whether the phrase's tokens follow token i, with nothing but whitespace between them."""
    for k in range(1, len(phrase.folded)):
        j = i + k
        if lowered[starts[j] : ends[j]] != phrase.folded[k]:
            return False
        gap = norm[ends[j - 1] : starts[j]]
        if gap and (not gap.isspace() or gap.count("\n") > 1):
            return False
    if phrase.exact is not None:
        return all(
            norm[starts[i + k] : ends[i + k]] == token for k, token in enumerate(phrase.exact)
        )
    return True


def _sentences(norm: str, line_starts: list[int]) -> list[Sentence]:
    """Sentences (or lines) of the text, whitespace and bullets trimmed."""
    spans, begin = [], 0
    for match in _SENTENCE_END.finditer(norm):
        cut = match.start() + 1 if norm[match.start()] in ".!?" else match.start()
        spans.append((begin, cut))
        begin = match.end() if norm[match.start()] in ".!?\n" else match.start()
    spans.append((begin, len(norm)))
    pieces = [
        (piece, min(right, piece + MAX_SENTENCE_CHARS))
        for left, right in spans
        for piece in range(left, right, MAX_SENTENCE_CHARS)
    ]
    blank_before = _blank_lines_before(norm, line_starts)
    sentences = []
    for left, right in pieces:
        while left < right and (norm[left].isspace() or norm[left] in _BULLETS):
            left += 1
        while right > left and norm[right - 1].isspace():
            right -= 1
        if right > left:
            line = bisect.bisect_right(line_starts, left) - 1
            sentences.append(Sentence(left, right, line, line - blank_before[line]))
    return sentences


def _blank_lines_before(norm: str, line_starts: list[int]) -> list[int]:
    """For each line, how many blank lines come before it."""
    counts, blank = [], 0
    for number, start in enumerate(line_starts):
        counts.append(blank)
        end = line_starts[number + 1] - 1 if number + 1 < len(line_starts) else len(norm)
        if not norm[start:end].strip():
            blank += 1
    return counts
