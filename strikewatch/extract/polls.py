"""Opinion poll and strike ballot results: poll -> question/scenario -> answer option -> pct.

A sentence belongs to a poll when it names one (poll, survey, ballot, a pollster, "asked
whether", "voted to strike") or follows closely on a sentence that did. Each poll is a frame that
gathers pollster, sponsor, sample, population and date from the sentences about it: a sentence
that refers back ("the survey", "the same poll") adds to the last frame; "another poll" or a new
pollster opens a new one. A percentage in a poll sentence becomes a result when the words next to
it say which answer it counts (support, oppose, blame ..., "would resign" -> other:would_resign).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.numbers import Quantity
from strikewatch.goldformat import date_at_precision, provenance
from strikewatch.lexicon import lexicon

RECENT_SENTENCES = 6  # how far back a sentence may refer to a poll
RECENT_LINES = 4  # ... and in how many paragraphs

_STAFF_GROUPS = lexicon("staff_groups")
_ASKED = re.compile(r"\basked\s+(?:by\s+[\w ]+?\s+)?(?:whether|if)\b", re.IGNORECASE)
_BALLOT_VOTE = re.compile(
    r"\bvoted\b(?:\s+\w+){0,4}?\s+(?:to\s+(?:strike|take|walk)|for\s+(?:the\s+)?(?:strike|industrial"
    r"|action)|in\s+favour|against|backed|supported)|\bturnout\b",
    re.IGNORECASE,
)
_BALLOT_WORD = re.compile(r"\bballot", re.IGNORECASE)
_NEW_FRAME = re.compile(
    rf"\b(?:{lexicon('new_poll_words').pattern()}|an?)\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:poll|survey|ballot)",
    re.IGNORECASE,
)
_SAME = re.compile(r"\bthe\s+same\b", re.IGNORECASE)
_SPONSOR = re.compile(
    r"\b(?i:poll(?:ing)?|survey|research|ballot)\b[^.;]{0,40}?\b(?:for|commissioned\s+by|on\s+behalf"
    r"\s+of)\s+(?:the\s+)?(?P<sponsor>(?:[A-Z][\w&'.-]*)(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'.-]*)*)"
    r"|\bcommissioned\s+by\s+(?:the\s+)?(?P<sponsor2>[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)*)"
)
_SPONSOR_END = re.compile(r"\s+(?:by|has|have|had|shows?|found)\b")
_SAMPLE_NOUN = lexicon("sample_nouns").pattern()
_SAMPLE = re.compile(
    r"\b(?:of|among|questioned|asked|surveyed|polled)\s+(?P<n>\d{1,3}(?:,\d{3})+|\d{2,6})\s+"
    rf"(?P<population>(?:[a-zA-Z'-]+\s+){{0,3}}?{_SAMPLE_NOUN})\b"
    r"|\b(?P<n2>\d{1,3}(?:,\d{3})+|\d{2,6})\s+(?P<population2>(?:[a-zA-Z'-]+\s+){0,2}?"
    r"(?:adults|people|voters|members|doctors|Britons|respondents))\s+(?:were\s+)?"
    r"(?:surveyed|questioned|polled|asked|took\s+part)"
)
_POPULATION_AFTER = re.compile(
    r"^\s*of\s+(?P<population>(?:the\s+)?(?:public|adults|voters|people|Britons|respondents|"
    r"doctors|junior\s+doctors|nurses|members|medics|patients|staff)(?:\s+in\s+[A-Z]\w+)?)\b"
)
_POPULATION_MAJORITY = re.compile(
    r"\b(?:majority|most|proportion|share|half)\s+of\s+(?:the\s+)?(?P<population>public(?:\s+in\s+"
    r"[A-Z]\w+)?|adults|voters|Britons)\b"
)
_QUESTION = re.compile(
    r"\b[Aa]sked\s+(?:by\s+[\w ]+?\s+)?(?P<question>(?:whether|if|about)\s+[^,.;]+)"
)
_BLOCK_PART = re.compile(r"[^/;]+")  # an answer of a line; every answer shows a percent sign
_BLOCK_LINE = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z' /-]{1,40}?)\s*[:-]?\s*(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*$"
)
_BARE_COMPARED = re.compile(
    r"(?:\bwhile|\bwhereas|\band|\bbut|\bwith|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|,)"
    r"\s+(?:just|only|a\s+mere|some|around|about)?\s*$",
    re.IGNORECASE,
)
_NOT_AN_ANSWER_AFTER = re.compile(
    r"\s*(?:increase|rise|cut|decrease|fall|drop|points|pay|more|less|turnout)\b"
)
_TURNOUT_BEFORE = re.compile(r"\bturnout\s+(?:of|was|is|at)\s*$")
_COMPARISON_BEFORE = re.compile(
    r"\b(?:since|than|compared\s+(?:with|to))\b(?!.*\b(?:since|than)\b)"
)
_CLAUSE_BOUNDARY = re.compile(r";|,\s|\s(?:while|whereas|but)\s", re.IGNORECASE)


def _stances() -> list[tuple[str, re.Pattern[str]]]:
    """Answer options and the wording that names each, in the order ties are broken."""
    phrases = lexicon("stance_phrases")
    government = rf"(?:the\s+)?{lexicon('government_side').pattern()}"
    strikers = rf"(?:the\s+)?{lexicon('strikers_side').pattern()}"
    blame = lexicon("blame_words").pattern()

    def phrase(label: str) -> str:
        return rf"\b{phrases.pattern(labels=(label,))}\b"

    patterns = [
        ("strongly_support", phrase("strongly_support")),
        ("strongly_oppose", phrase("strongly_oppose")),
        ("other:tend_to_support", phrase("other:tend_to_support")),
        ("other:tend_to_oppose", phrase("other:tend_to_oppose")),
        ("other:neither", phrase("other:neither")),
        ("dont_know", phrase("dont_know")),
        ("blame_both", phrase("blame_both") + r"|\bboth\b[\w\s]{0,30}?\bto\s+blame"),
        (
            "blame_government",
            rf"\b{blame}\s+{government}\b|\b{government}(?:'s)?\s+(?:is\s+)?(?:most\s+)?"
            r"(?:at\s+)?fault",
        ),
        (
            "blame_doctors",
            rf"\b{blame}\s+{strikers}\b|\b{strikers}(?:'s|')?\s+(?:are\s+|is\s+)?(?:most\s+)?"
            r"(?:at\s+)?fault",
        ),
        ("oppose", phrase("oppose")),
        ("support", r"\bvoted\b(?:\s+\w+){0,3}?\s+(?:to\s+(?:strike|take|walk)|for|in\s+favour)"),
        ("support", phrase("support")),
        (
            "would",
            rf"\bwould\s+(?:consider\s+)?(?P<act>{lexicon('would_acts').pattern()})\w*",
        ),
    ]
    return [(measure, re.compile(pattern, re.IGNORECASE)) for measure, pattern in patterns]


STANCES = _stances()
_BLAMED = [
    ("blame_both", re.compile(r"^\s*(?:say|said|think|blame|name)?\s*both\b", re.IGNORECASE)),
    (
        "blame_government",
        re.compile(
            rf"^\s*(?:say|said|think|blame|name)?\s*(?:the\s+)?"
            rf"{lexicon('government_side').pattern()}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "blame_doctors",
        re.compile(
            rf"^\s*(?:say|said|think|blame|name)?\s*(?:the\s+)?"
            rf"{lexicon('strikers_side').pattern()}\b",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True, kw_only=True)
class PollResult(Fact):
    """One answer of one poll or ballot."""

    pollster: str | None
    commissioned_by: str | None
    sample_size: int | None
    population: str | None
    poll_date: dt.date | None
    poll_date_precision: str | None
    question: str | None
    measure: str
    pct: float


@dataclass
class PollFrame:
    """One poll as the text describes it, filled in as sentences about it are read."""

    pollster: str | None = None
    commissioned_by: str | None = None
    sample_size: int | None = None
    population: str | None = None
    poll_date: dt.date | None = None
    poll_date_precision: str | None = None
    is_new: bool = False
    is_earlier: bool = False
    sentence: int = 0
    line: int = 0
    position: int = 0
    results: list[dict] = field(default_factory=list)


def _stance(segment: str, last: bool = False) -> tuple[str, re.Match[str]] | None:
    """The answer option a phrase names: the first (or last) stance phrase in it."""
    best: tuple[str, re.Match[str]] | None = None
    for measure, pattern in STANCES:
        matches = list(pattern.finditer(segment))
        if not matches:
            continue
        match = matches[-1] if last else matches[0]
        if measure == "would":
            measure = f"other:would_{match.group('act').lower()}"
        if best is None:
            best = (measure, match)
            continue
        if last:  # the phrase ending nearest the figure; the longer one when two end together
            better = (match.end(), -match.start()) > (best[1].end(), -best[1].start())
        else:
            better = match.start() < best[1].start()
        if better:
            best = (measure, match)
    return best


def _blamed(segment: str) -> tuple[str, re.Match[str]] | None:
    """Who a figure names under a blame question ("39% say the government")."""
    for measure, pattern in _BLAMED:
        match = pattern.match(segment)
        if match:
            return measure, match
    return None


def _singular(group: str) -> str:
    """The shortest way the lexicon writes a staff group ("junior doctor")."""
    return min(_STAFF_GROUPS.with_label(group), key=len)


def _first_listed(terms: list) -> object | None:
    """Of the staff groups named, the one the lexicon lists first."""
    order = list(dict.fromkeys(_STAFF_GROUPS.labels.values()))
    return min(terms, key=lambda term: order.index(term.label), default=None)


def _frame_details(doc: Analysis, sentence: Sentence, context: tuple[int, int]) -> PollFrame:
    """Pollster, sponsor, sample, population and date named in a poll sentence."""
    frame = PollFrame()
    words = doc.norm[sentence.start : sentence.end]
    if pollster := doc.first("pollsters", sentence.start, sentence.end):
        frame.pollster = pollster.label
    elif _BALLOT_VOTE.search(words) or _BALLOT_WORD.search(words):
        union = doc.first("unions", sentence.start, sentence.end) or doc.first("unions", *context)
        if union:
            frame.pollster = f"{union.label} ballot"
            group = _first_listed(doc.terms_in("staff_groups", context[0], sentence.end))
            frame.population = (
                f"{union.label} {_singular(group.label)} members"
                if group
                else f"{union.label} members"
            )
    if sponsor := _SPONSOR.search(words):
        name = sponsor.group("sponsor") or sponsor.group("sponsor2")
        if lexicon("pollsters").label(name) is None:
            frame.commissioned_by = _SPONSOR_END.split(name)[0]
    if sample := _SAMPLE.search(words):
        frame.sample_size = int((sample.group("n") or sample.group("n2")).replace(",", ""))
        frame.population = sample.group("population") or sample.group("population2")
    elif majority := _POPULATION_MAJORITY.search(words):
        frame.population = majority.group("population")
    frame.is_new = bool(_NEW_FRAME.search(words)) or doc.has(
        "current_poll_words", sentence.start, sentence.end
    )
    return frame


def _merge(into: PollFrame, details: PollFrame) -> None:
    """Fill a frame's unknown fields from a later sentence about the same poll."""
    for name in ("pollster", "commissioned_by", "sample_size", "population"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(details, name))
    into.is_new = into.is_new or details.is_new


def _is_earlier(doc: Analysis, sentence: Sentence) -> bool:
    return doc.has("earlier_poll_words", sentence.start, sentence.end)


def _refers_to(
    doc: Analysis, frame: PollFrame | None, details: PollFrame, sentence: Sentence, index: int
) -> bool:
    """Whether a poll sentence continues the given frame rather than opening a new poll."""
    if (
        frame is None
        or index - frame.sentence > RECENT_SENTENCES
        or sentence.paragraph - frame.line > RECENT_LINES
    ):
        return False
    words = doc.norm[sentence.start : sentence.end]
    if _NEW_FRAME.search(words) and not _SAME.search(words):
        return False
    for name in ("pollster", "commissioned_by"):
        mine, theirs = getattr(details, name), getattr(frame, name)
        if mine and theirs and mine.lower() != theirs.lower():
            return False
    return not _is_earlier(doc, sentence)


def _clause_bounds(doc: Analysis, sentence: Sentence, position: int) -> tuple[int, int]:
    """The clause of a sentence holding a position (split at ; , while whereas but)."""
    start, end = sentence.start, sentence.end
    for match in _CLAUSE_BOUNDARY.finditer(doc.norm, sentence.start, sentence.end):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


def _figures(doc: Analysis, sentence: Sentence) -> list[Quantity]:
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
    return figures


def _is_poll_sentence(doc: Analysis, sentence: Sentence, has_percent: bool) -> bool:
    """Whether a sentence names a poll, a pollster or a ballot result."""
    span = (sentence.start, sentence.end)
    if doc.has("poll_words", *span) or doc.has("pollsters", *span):
        return True
    words = doc.norm[sentence.start : sentence.end]
    if _ASKED.search(words):
        return True
    return has_percent and bool(_BALLOT_VOTE.search(words))


def _results(doc: Analysis, sentence: Sentence, figures: list[Quantity]) -> list[dict]:
    """One result per figure whose neighbouring words name an answer option."""
    text = doc.norm
    blame_question = doc.has("blame_questions", sentence.start, sentence.end)
    results = []
    for index, figure in enumerate(figures):
        tail_end = figures[index + 1].char_start if index + 1 < len(figures) else sentence.end
        head_start = figures[index - 1].char_end if index else sentence.start
        tail = text[figure.char_end : tail_end]
        if _NOT_AN_ANSWER_AFTER.match(tail):
            continue
        if _TURNOUT_BEFORE.search(text[head_start : figure.char_start]):
            continue
        stance = _stance(tail)
        if stance is None and blame_question:
            stance = _blamed(tail)
        if stance is not None:
            measure, match = stance
            span = (figure.char_start, figure.char_end + match.end())
        else:
            stance = _stance(text[head_start : figure.char_start], last=True)
            if stance is None:
                continue
            measure, match = stance
            span = (head_start + match.start(), figure.char_end)
        population = _POPULATION_AFTER.match(tail)
        results.append(
            {
                "measure": measure,
                "pct": figure.value,
                "char_start": span[0],
                "char_end": span[1],
                "population": population.group("population") if population else None,
            }
        )
    return results


def _block_results(doc: Analysis) -> list[dict]:
    """Results from answer tables: a question line then lines like "Strongly support 41%"."""
    results = []
    question = None
    for number in range(len(doc.line_starts)):
        line_start, line_end = doc.line_span(number)
        line = doc.norm[line_start:line_end]
        parts = [(m.start(), m.group(0)) for m in _BLOCK_PART.finditer(line)] if "%" in line else []
        matches = [(s, _BLOCK_LINE.match(part)) for s, part in parts]
        if not matches or not all(m for _, m in matches):
            if line.strip():
                question = doc.text[line_start:line_end].strip()
            continue
        for part_start, match in matches:
            stance = _stance(match.group("label"))
            start = line_start + part_start + match.start("label")
            end = line_start + part_start + match.end("pct") + 1
            if stance is None or doc.skip.contains(start):
                continue
            results.append(
                {
                    "measure": stance[0],
                    "pct": float(match.group("pct")),
                    "char_start": start,
                    "char_end": end,
                    "question": question,
                    "population": None,
                    "line": number,
                }
            )
    return results


def _date_for(doc: Analysis, span: tuple[int, int]) -> tuple[dt.date, str] | None:
    """Month a poll sentence or clause dates the poll to, if it names one."""
    for mention in doc.dates_in(*span):
        before = doc.norm[max(0, mention.char_start - 20) : mention.char_start + 6]
        if _COMPARISON_BEFORE.search(before):
            continue  # the date of a comparison, not of the poll
        if mention.precision in ("month", "day"):
            return mention.start.replace(day=1), "month"
    return None


@dataclass
class _Reader:
    """State while reading a text's sentences in order: the polls met so far."""

    doc: Analysis
    frames: list[PollFrame] = field(default_factory=list)
    current: PollFrame | None = None

    def poll_sentence(self, index: int) -> None:
        """Open a poll frame for a sentence naming a poll, or add to the one it refers to."""
        sentences = self.doc.sentences
        sentence = sentences[index]
        context = (sentences[max(0, index - 2)].start, sentence.start)
        details = _frame_details(self.doc, sentence, context)
        if self.current is not None and _refers_to(
            self.doc, self.current, details, sentence, index
        ):
            _merge(self.current, details)
        else:
            details.is_earlier = _is_earlier(self.doc, sentence)
            if details.is_earlier and details.pollster is None and self.current is not None:
                details.pollster = self.current.pollster
            self.current = details
            self.frames.append(details)
        frame = self.current
        frame.sentence, frame.line, frame.position = index, sentence.paragraph, sentence.start
        date = _date_for(self.doc, (sentence.start, sentence.end))
        if date and frame.poll_date is None and not frame.results:
            frame.poll_date, frame.poll_date_precision = date

    def follows_a_poll(self, index: int, sentence: Sentence) -> bool:
        """Whether a sentence without poll words is close enough to read as about the last poll."""
        frame = self.current
        return (
            frame is not None
            and index - frame.sentence <= 2
            and sentence.paragraph - frame.line <= 2
        )

    def frame_for(self, sentence: Sentence, result: dict) -> PollFrame:
        """The poll a result belongs to: the current one, or an earlier round its clause dates."""
        frame = self.current
        assert frame is not None
        clause = _clause_bounds(self.doc, sentence, result["char_start"])
        date = _date_for(self.doc, clause)
        if date and frame.poll_date is None and not frame.results:
            frame.poll_date, frame.poll_date_precision = date
        elif (
            date and date[0] != frame.poll_date and not self.doc.has("current_poll_words", *clause)
        ):
            # a figure from an earlier round of the same pollster's series
            return PollFrame(
                pollster=frame.pollster,
                poll_date=date[0],
                poll_date_precision=date[1],
                is_earlier=True,
            )
        return frame


def extract_polls(doc: Analysis, found: Found) -> list[PollResult]:
    """Poll and ballot results stated in a text, one per answer mention, in text order."""
    del found  # polls read no other fact type
    reader = _Reader(doc)
    facts: list[tuple[PollFrame, dict]] = []
    blocks = _block_results(doc)
    block_lines = {result["line"] for result in blocks}
    for index, sentence in enumerate(doc.sentences):
        if doc.skip.contains(sentence.start) or sentence.line in block_lines:
            continue
        figures = _figures(doc, sentence)
        if _is_poll_sentence(doc, sentence, bool(figures)):
            reader.poll_sentence(index)
        elif not reader.follows_a_poll(index, sentence):
            continue
        question = _QUESTION.search(doc.text, sentence.start, sentence.end)
        for result in _results(doc, sentence, figures):
            frame = reader.frame_for(sentence, result)
            result["question"] = question.group("question").strip() if question else None
            frame.results.append(result)
            facts.append((frame, result))
    for result in blocks:
        earlier = [f for f in reader.frames if f.position <= result["char_start"]]
        facts.append((earlier[-1] if earlier else PollFrame(), result))
    rows = [_record(frame, result, doc.published) for frame, result in facts]
    return sorted(rows, key=lambda row: row.char_start)


def _record(frame: PollFrame, result: dict, published: dt.date | None) -> PollResult:
    """A poll result from a frame and one of its results."""
    poll_date, precision = frame.poll_date, frame.poll_date_precision
    if poll_date is None and published is not None and not frame.is_earlier:
        poll_date, precision = published.replace(day=1), "month"
    return PollResult(
        char_start=result["char_start"],
        char_end=result["char_end"],
        pollster=frame.pollster,
        commissioned_by=frame.commissioned_by,
        sample_size=frame.sample_size,
        population=result["population"] or frame.population,
        poll_date=poll_date,
        poll_date_precision=precision,
        question=result.get("question"),
        measure=result["measure"],
        pct=float(result["pct"]),
    )


def to_gold(row: dict) -> dict:
    """A core.poll_results row in the gold's terms."""
    return {
        **provenance(row),
        "pollster": row.get("pollster"),
        "commissioned_by": row.get("commissioned_by"),
        "sample_size": row.get("sample_size"),
        "population": row.get("population"),
        "date": date_at_precision(row.get("poll_date"), row.get("poll_date_precision")),
        "measure": row.get("measure"),
        "pct": row.get("pct"),
        "question": row.get("question"),
    }


FACT_TYPE = FactType(
    name="poll",
    table="poll_results",
    record=PollResult,
    extract=extract_polls,
    gold_fields=(
        "pollster",
        "commissioned_by",
        "sample_size",
        "population",
        "date",
        "measure",
        "pct",
    ),
    match_key=("pct", "measure"),
    to_gold=to_gold,
    colour="#9467bd",
)


def _identity_words(value: str | None) -> str:
    """Lower-case words of a name without articles and outlet suffixes ("the BBC" = "BBC News")."""
    if not value:
        return "?"
    words = re.findall(r"[a-z0-9&]+", value.lower())
    return " ".join(w for w in words if w not in {"the", "news", "online", "newspaper"}) or "?"


def poll_identity(fact: dict) -> str:
    """Key shared by every mention of one poll: pollster, sponsor and month."""
    poll_date = fact.get("poll_date")
    month = poll_date.strftime("%Y-%m") if isinstance(poll_date, dt.date) else str(poll_date)[:7]
    pollster = _identity_words(fact.get("pollster"))
    if pollster == "?":
        pollster = f"{_identity_words(fact.get('population'))}:{fact.get('sample_size')}"
    return f"{pollster}|{_identity_words(fact.get('commissioned_by'))}|{month}"
