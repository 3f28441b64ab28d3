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
from collections.abc import Sequence
from dataclasses import dataclass, field

from strikewatch.extract.dates import find_dates
from strikewatch.extract.numbers import Quantity, find_quantities
from strikewatch.extract.scanning import folded
from strikewatch.extract.spans import Lines, Spans, in_range

RECENT_SENTENCES = 6  # how far back a sentence may refer to a poll
RECENT_LINES = 4  # ... and in how many lines (paragraphs)

POLLSTERS = {
    "ipsos mori": "Ipsos MORI", "ipsos": "Ipsos", "yougov": "YouGov",
    "savanta comres": "Savanta ComRes", "savanta": "Savanta", "comres": "ComRes",
    "opinium": "Opinium", "survation": "Survation", "deltapoll": "Deltapoll",
    "redfield & wilton": "Redfield & Wilton Strategies", "redfield and wilton":
    "Redfield & Wilton Strategies", "more in common": "More in Common", "icm": "ICM",
    "bmg": "BMG", "kantar": "Kantar", "populus": "Populus", "techne": "Techne",
    "panelbase": "Panelbase", "focaldata": "Focaldata", "omnisis": "Omnisis",
    "whitestone insight": "WhiteStone Insight", "natcen": "NatCen", "people polling":
    "People Polling", "j.l. partners": "J.L. Partners", "jl partners": "J.L. Partners",
}  # fmt: skip
UNIONS = ("BMA", "HCSA", "RCN", "RCM", "Unite", "Unison", "GMB", "BDA", "CSP", "BAPIO")
STAFF_GROUPS = ("junior doctor", "resident doctor", "consultant", "nurse", "midwife", "paramedic")

_POLLSTER = re.compile(
    r"\b(?:" + "|".join(re.escape(n) for n in sorted(POLLSTERS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_POLL_WORD = re.compile(
    r"\b(?:poll|polls|polling|polled|pollsters?|surveys?|surveyed|ballot|balloted|respondents"
    r"|questioned|were\s+asked|asked\s+(?:by\s+[\w ]+?\s+)?(?:whether|if))\b",
    re.IGNORECASE,
)
_BALLOT_VOTE = re.compile(
    r"\bvoted\b(?:\s+\w+){0,4}?\s+(?:to\s+(?:strike|take|walk)|for\s+(?:the\s+)?(?:strike|industrial"
    r"|action)|in\s+favour|against|backed|supported)|\bturnout\b",
    re.IGNORECASE,
)
# Every match of _POLL_WORD, _POLLSTER or _BALLOT_VOTE holds one of these words, lower-cased.
_POLL_HINT = re.compile(
    "|".join(
        ["poll", "survey", "ballot", "respondents", "questioned", "asked", "voted", "turnout"]
        + sorted({re.escape(max(name.split(), key=len)) for name in POLLSTERS})
    )
)
_NEW_FRAME = re.compile(
    r"\b(?:another|a\s+(?:new|separate|second|different)|an?)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:poll|survey|ballot)",
    re.IGNORECASE,
)
_EARLIER_POLL = re.compile(
    r"\b(?:last\s+time|previous(?:ly)?|earlier\s+(?:poll|survey)|ago|had\s+been)\b", re.IGNORECASE
)
_CURRENT = re.compile(r"\b(?:current|now|latest|new|this\s+(?:week|month))\b", re.IGNORECASE)
_SPONSOR = re.compile(
    r"\b(?i:poll(?:ing)?|survey|research|ballot)\b[^.;]{0,40}?\b(?:for|commissioned\s+by|on\s+behalf"
    r"\s+of)\s+(?:the\s+)?(?P<sponsor>(?:[A-Z][\w&'’.-]*)(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'’.-]*)*)"
    r"|\bcommissioned\s+by\s+(?:the\s+)?(?P<sponsor2>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*)"
)
_SAMPLE = re.compile(
    r"\b(?:of|among|questioned|asked|surveyed|polled)\s+(?P<n>\d{1,3}(?:,\d{3})+|\d{2,6})\s+"
    r"(?P<population>(?:[a-zA-Z'’-]+\s+){0,3}?(?:adults|people|voters|members|doctors|Britons|"
    r"respondents|nurses|patients|residents|workers|staff|consultants|medics|parents|adults))\b"
    r"|\b(?P<n2>\d{1,3}(?:,\d{3})+|\d{2,6})\s+(?P<population2>(?:[a-zA-Z'’-]+\s+){0,2}?"
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
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘(0-9])")
_BLOCK_PART = re.compile(r"[^/;]+")  # an answer of a line; every answer shows a percent sign
_BLOCK_LINE = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z'’ /-]{1,40}?)\s*[:–-]?\s*(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*$"
)
_BARE_COMPARED = re.compile(
    r"(?:\bwhile|\bwhereas|\band|\bbut|\bwith|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|,)"
    r"\s+(?:just|only|a\s+mere|some|around|about)?\s*$",
    re.IGNORECASE,
)

_GOVERNMENT = (
    r"(?:the\s+)?(?:government|ministers|minister|health\s+secretary|prime\s+minister|chancellor"
    r"|tories|conservatives|labour|department|dhsc)"
)
_DOCTORS = r"(?:the\s+)?(?:(?:junior\s+|resident\s+)?doctors|bma|unions?|medics|nurses|strikers)"
STANCES: list[tuple[str, re.Pattern[str]]] = [
    (m, re.compile(p, re.IGNORECASE))
    for m, p in [
        ("strongly_support", r"\bstrongly\s+(?:support|back|in\s+favour)"),
        ("strongly_oppose", r"\bstrongly\s+(?:oppose|against|disapprove)"),
        ("other:tend_to_support", r"\btend\s+to\s+support"),
        ("other:tend_to_oppose", r"\btend\s+to\s+oppose"),
        ("other:neither", r"\bneither\b"),
        (
            "dont_know",
            r"\b(?:don'?t|do\s+not|did\s+not|didn'?t)\s+know|\bnot\s+sure|\bunsure"
            r"|\bundecided|\bno\s+opinion",
        ),
        (
            "blame_both",
            r"\bblame\s+both|\bboth\b[\w\s]{0,30}?\bto\s+blame|\bequally\s+to\s+blame"
            r"|\bequally\s+(?:at\s+)?fault",
        ),
        (
            "blame_government",
            rf"\bblam\w*\s+{_GOVERNMENT}|\b{_GOVERNMENT}(?:'s|’s)?\s+(?:is\s+"
            r")?(?:most\s+)?(?:at\s+)?fault",
        ),
        (
            "blame_doctors",
            rf"\bblam\w*\s+{_DOCTORS}|\b{_DOCTORS}(?:'s|’s|'|’)?\s+(?:are\s+"
            r"|is\s+)?(?:most\s+)?(?:at\s+)?fault",
        ),
        ("oppose", r"\b(?:do\s+not|don'?t|did\s+not|didn'?t|not)\s+(?:support|back)"),
        ("oppose", r"\boppos\w*|\bagainst\b|\bdisapprov\w*|\bvoted\s+against"),
        ("support", r"\bvoted\b(?:\s+\w+){0,3}?\s+(?:to\s+(?:strike|take|walk)|for|in\s+favour)"),
        ("support", r"\bsupport\w*|\bback(?:s|ed|ing)?\b|\bin\s+favour|\bsympath\w*|\bapprov\w*"),
        ("would", r"\bwould\s+(?:consider\s+)?(?P<act>resign|quit|leave|emigrate|strike|move)\w*"),
    ]
]


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


@dataclass
class Sentence:
    """A sentence with its offsets and the number of the paragraph (non-blank line) it is in."""

    start: int
    end: int
    line: int


def _sentences(text: str) -> list[Sentence]:
    """Sentences of the text, split at line breaks and sentence-final punctuation."""
    found = []
    offset = 0
    paragraph = -1
    for line in text.split("\n"):
        paragraph += bool(line.strip())
        cuts = [0] + [m.end() for m in _SENTENCE_BREAK.finditer(line)]
        for cut_start, cut_end in zip(cuts, cuts[1:] + [len(line)], strict=True):
            if line[cut_start:cut_end].strip():
                found.append(Sentence(offset + cut_start, offset + cut_end, paragraph))
        offset += len(line) + 1
    return found


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


_BLAME_QUESTION = re.compile(r"\bto\s+blame\b|\bat\s+fault\b|\bresponsib", re.IGNORECASE)
_BLAMED = [
    ("blame_both", re.compile(r"^\s*(?:say|said|think|blame|name)?\s*both\b", re.IGNORECASE)),
    (
        "blame_government",
        re.compile(rf"^\s*(?:say|said|think|blame|name)?\s*{_GOVERNMENT}\b", re.IGNORECASE),
    ),
    (
        "blame_doctors",
        re.compile(rf"^\s*(?:say|said|think|blame|name)?\s*{_DOCTORS}\b", re.IGNORECASE),
    ),
]


def _blamed(segment: str) -> tuple[str, re.Match[str]] | None:
    """Who a figure names under a blame question ("39% say the government")."""
    for measure, pattern in _BLAMED:
        match = pattern.match(segment)
        if match:
            return measure, match
    return None


def _canonical_pollster(name: str) -> str:
    """Pollster name as the firm writes it ("Ipsos Mori" -> "Ipsos MORI")."""
    return POLLSTERS.get(" ".join(name.lower().split()), name)


def _union_in(text: str) -> str | None:
    """The first trade union named in a text."""
    match = re.search(r"\b(" + "|".join(UNIONS) + r")\b", text)
    return match.group(1) if match else None


def _is_poll_sentence(sentence: str, has_percent: bool) -> bool:
    """Whether a sentence names a poll, a pollster or a ballot result."""
    if not _POLL_HINT.search(folded(sentence)):
        return False  # a quick test: none of the patterns below can match
    if _POLL_WORD.search(sentence) or _POLLSTER.search(sentence):
        return True
    return has_percent and bool(_BALLOT_VOTE.search(sentence))


def _frame_details(sentence: str, context: str) -> PollFrame:
    """Pollster, sponsor, sample, population and date named in a poll sentence."""
    frame = PollFrame()
    if pollster := _POLLSTER.search(sentence):
        frame.pollster = _canonical_pollster(pollster.group(0))
    elif _BALLOT_VOTE.search(sentence) or re.search(r"\bballot", sentence, re.IGNORECASE):
        union = _union_in(sentence) or _union_in(context)
        if union:
            frame.pollster = f"{union} ballot"
            group = next((g for g in STAFF_GROUPS if g in (context + sentence).lower()), None)
            frame.population = f"{union} {group} members" if group else f"{union} members"
    if sponsor := _SPONSOR.search(sentence):
        name = sponsor.group("sponsor") or sponsor.group("sponsor2")
        if not _POLLSTER.fullmatch(name):
            frame.commissioned_by = re.split(r"\s+(?:by|has|have|had|shows?|found)\b", name)[0]
    if sample := _SAMPLE.search(sentence):
        frame.sample_size = int((sample.group("n") or sample.group("n2")).replace(",", ""))
        frame.population = sample.group("population") or sample.group("population2")
    elif majority := _POPULATION_MAJORITY.search(sentence):
        frame.population = majority.group("population")
    frame.is_new = bool(_NEW_FRAME.search(sentence) or _CURRENT.search(sentence))
    return frame


def _merge(into: PollFrame, details: PollFrame) -> None:
    """Fill a frame's unknown fields from a later sentence about the same poll."""
    for name in ("pollster", "commissioned_by", "sample_size", "population"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(details, name))
    into.is_new = into.is_new or details.is_new


def _refers_to(
    frame: PollFrame | None, details: PollFrame, sentence: str, index: int, line: int
) -> bool:
    """Whether a poll sentence continues the given frame rather than opening a new poll."""
    if (
        frame is None
        or index - frame.sentence > RECENT_SENTENCES
        or line - frame.line > RECENT_LINES
    ):
        return False
    if _NEW_FRAME.search(sentence) and not re.search(r"\bthe\s+same\b", sentence, re.I):
        return False
    for name in ("pollster", "commissioned_by"):
        mine, theirs = getattr(details, name), getattr(frame, name)
        if mine and theirs and mine.lower() != theirs.lower():
            return False
    return not _EARLIER_POLL.search(sentence)


def _clause_bounds(text: str, sentence: Sentence, position: int) -> tuple[int, int]:
    """The clause of a sentence holding a position (split at ; , while whereas but)."""
    boundary = re.compile(r";|,\s|\s(?:while|whereas|but)\s", re.IGNORECASE)
    start, end = sentence.start, sentence.end
    for match in boundary.finditer(text, sentence.start, sentence.end):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


def _figures(
    text: str,
    sentence: Sentence,
    quantities: Sequence[Quantity],
    quantity_starts: Sequence[int],
    skip: Spans,
) -> list[Quantity]:
    """Percentages of a sentence, with bare numbers read as percent after a percentage."""
    figures: list[Quantity] = []
    for quantity in quantities[in_range(quantity_starts, sentence.start, sentence.end)]:
        if skip.contains(quantity.char_start):
            continue
        if quantity.unit == "percent":
            figures.append(quantity)
        elif (
            figures
            and quantity.value <= 100
            and _BARE_COMPARED.search(text[figures[-1].char_end : quantity.char_start])
        ):
            as_percent = Quantity(
                quantity.value,
                "percent",
                quantity.qualifier,
                quantity.char_start,
                quantity.char_end,
            )
            figures.append(as_percent)
    return figures


def _results(text: str, sentence: Sentence, figures: list[Quantity]) -> list[dict]:
    """One result per figure whose neighbouring words name an answer option."""
    results = []
    for index, figure in enumerate(figures):
        tail_end = figures[index + 1].char_start if index + 1 < len(figures) else sentence.end
        head_start = figures[index - 1].char_end if index else sentence.start
        tail = text[figure.char_end : tail_end]
        if re.match(
            r"\s*(?:increase|rise|cut|decrease|fall|drop|points|pay|more|less|turnout)\b", tail
        ):
            continue
        if re.search(r"\bturnout\s+(?:of|was|is|at)\s*$", text[head_start : figure.char_start]):
            continue
        stance = _stance(tail)
        if stance is None and _BLAME_QUESTION.search(text, sentence.start, sentence.end):
            stance = _blamed(tail)
        if stance is not None:
            measure, match = stance
            span = (figure.char_start, figure.char_end + match.end())
        else:
            head = text[head_start : figure.char_start]
            stance = _stance(head, last=True)
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


def _block_results(text: str, skip: Spans) -> list[dict]:
    """Results from answer tables: a question line then lines like "Strongly support 41%"."""
    results = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    question = None
    for number, line in enumerate(lines):
        parts = [(m.start(), m.group(0)) for m in _BLOCK_PART.finditer(line)] if "%" in line else []
        matches = [(s, _BLOCK_LINE.match(part)) for s, part in parts]
        if not all(m for _, m in matches) or not matches:
            if line.strip():
                question = line.strip()
            continue
        for part_start, match in matches:
            stance = _stance(match.group("label"))
            start = offsets[number] + part_start + match.start("label")
            end = offsets[number] + part_start + match.end("pct") + 1
            if stance is None or skip.contains(start):
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


def _date_for(
    text: str, span: tuple[int, int], published: dt.date | None
) -> tuple[dt.date, str] | None:
    """Month a poll sentence or clause dates the poll to, if it names one."""
    for mention in find_dates(text, published, span[0], span[1]):
        before = text[max(0, mention.char_start - 20) : mention.char_start + 6]
        if re.search(r"\b(?:since|than|compared\s+(?:with|to))\b(?!.*\b(?:since|than)\b)", before):
            continue  # the date of a comparison, not of the poll
        if mention.precision in ("month", "day"):
            return mention.start.replace(day=1), "month"
    return None


@dataclass
class _Reader:
    """State while reading a text's sentences in order: the polls met so far."""

    text: str
    published: dt.date | None
    frames: list[PollFrame] = field(default_factory=list)
    current: PollFrame | None = None

    def poll_sentence(self, sentences: list[Sentence], index: int) -> None:
        """Open a poll frame for a sentence naming a poll, or add to the one it refers to."""
        sentence = sentences[index]
        words = self.text[sentence.start : sentence.end]
        context = self.text[sentences[max(0, index - 2)].start : sentence.start]
        details = _frame_details(words, context)
        if self.current is not None and _refers_to(
            self.current, details, words, index, sentence.line
        ):
            _merge(self.current, details)
        else:
            details.is_earlier = bool(_EARLIER_POLL.search(words))
            if details.is_earlier and details.pollster is None and self.current is not None:
                details.pollster = self.current.pollster
            self.current = details
            self.frames.append(details)
        frame = self.current
        frame.sentence, frame.line, frame.position = index, sentence.line, sentence.start
        date = _date_for(self.text, (sentence.start, sentence.end), self.published)
        if date and frame.poll_date is None and not frame.results:
            frame.poll_date, frame.poll_date_precision = date

    def follows_a_poll(self, index: int, sentence: Sentence) -> bool:
        """Whether a sentence without poll words is close enough to read as about the last poll."""
        frame = self.current
        return frame is not None and index - frame.sentence <= 2 and sentence.line - frame.line <= 2

    def frame_for(self, sentence: Sentence, result: dict) -> PollFrame:
        """The poll a result belongs to: the current one, or an earlier round its clause dates."""
        frame = self.current
        assert frame is not None
        clause = _clause_bounds(self.text, sentence, result["char_start"])
        date = _date_for(self.text, clause, self.published)
        if date and frame.poll_date is None and not frame.results:
            frame.poll_date, frame.poll_date_precision = date
        elif (
            date
            and date[0] != frame.poll_date
            and not _CURRENT.search(self.text[clause[0] : clause[1]])
        ):
            # a figure from an earlier round of the same pollster's series
            return PollFrame(
                pollster=frame.pollster,
                poll_date=date[0],
                poll_date_precision=date[1],
                is_earlier=True,
            )
        return frame


def extract_polls(
    text: str,
    published_date: dt.date | None,
    skip_spans: Sequence[tuple[int, int]] = (),
) -> list[dict]:
    """Poll and ballot results stated in a text, one dict per answer mention, in text order."""
    sentences = _sentences(text)
    reader = _Reader(text, published_date)
    facts: list[tuple[PollFrame, dict]] = []
    quantities = sorted(find_quantities(text), key=lambda quantity: quantity.char_start)
    quantity_starts = [quantity.char_start for quantity in quantities]
    skip, lines = Spans(skip_spans), Lines(text)
    blocks = _block_results(text, skip)
    block_lines = {result["line"] for result in blocks}
    for index, sentence in enumerate(sentences):
        if skip.contains(sentence.start):
            continue
        if lines.number(sentence.start) in block_lines:
            continue
        words = text[sentence.start : sentence.end]
        figures = _figures(text, sentence, quantities, quantity_starts, skip)
        if _is_poll_sentence(words, bool(figures)):
            reader.poll_sentence(sentences, index)
        elif not reader.follows_a_poll(index, sentence):
            continue
        question = _QUESTION.search(words)
        for result in _results(text, sentence, figures):
            frame = reader.frame_for(sentence, result)
            result["question"] = question.group("question").strip() if question else None
            frame.results.append(result)
            facts.append((frame, result))
    for result in blocks:
        earlier = [f for f in reader.frames if f.position <= result["char_start"]]
        facts.append((earlier[-1] if earlier else PollFrame(), result))
    return sorted(
        (_row(frame, result, published_date) for frame, result in facts),
        key=lambda row: row["char_start"],
    )


def _row(frame: PollFrame, result: dict, published: dt.date | None) -> dict:
    """A poll_results row from a frame and one of its results."""
    poll_date, precision = frame.poll_date, frame.poll_date_precision
    if poll_date is None and published is not None and not frame.is_earlier:
        poll_date, precision = published.replace(day=1), "month"
    return {
        "pollster": frame.pollster,
        "commissioned_by": frame.commissioned_by,
        "sample_size": frame.sample_size,
        "population": result["population"] or frame.population,
        "poll_date": poll_date,
        "poll_date_precision": precision,
        "question": result.get("question"),
        "measure": result["measure"],
        "pct": float(result["pct"]),
        "char_start": result["char_start"],
        "char_end": result["char_end"],
    }


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
