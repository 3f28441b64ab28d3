"""Opinion poll and strike ballot results: poll -> question/scenario -> answer option -> pct.

A text is about a poll when a sentence names one (poll, survey, ballot, a pollster, "asked
whether", "voted ... in favour" with a share). Then every sentence of it is read for answers
(poll_answers.py says which answer a figure states), since articles give their figures far from
the poll's name: a headline, a lead and a list of findings.

Each poll is a frame that gathers pollster, sponsor, sample, population and fieldwork dates from
the sentences about it, wherever they stand (a methodology note at the end fills the frame the
findings belong to). A sentence that refers back ("the survey", "our polling") adds to the
current frame; "another poll", a different pollster or a ballot among polls opens a new one, so
a new pollster never inherits the last poll's sample. A comparison with an earlier poll ("This
compares with a survey taken in May", "The last time ... was in March") opens an earlier round of
the same series for the figures of that sentence.

A figure tied to a date before the poll's own month ("from 22% in May", "In February 52% had
supported") is an earlier round (`earlier_wave`), dated to that month. The poll's own `poll_date`
comes only from fieldwork dates in the text; when the text gives none, the warehouse keeps the
month of the article with precision "published" (a bound, not a fieldwork date: the gold
conversion leaves it out). A union's ballot is a poll of its members: pollster "<UNION> ballot",
votes cast as the sample.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.dates import DateMention, scan_dates
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.poll_answers import ECHO_POINTS, Answer, read_answers
from strikewatch.extract.scanning import finditer_at, matches_opening, openings
from strikewatch.goldformat import date_at_precision, provenance
from strikewatch.lexicon import lexicon

BALLOT_CONTEXT = (2, 1)  # sentences before and after a ballot result that may name its union
JOINS_AN_EMPTY_POLL = 2  # an unnamed poll this soon after one without figures is the same poll
INFERRED_ANCHOR_SLACK = dt.timedelta(days=92)  # how far past a date the text states it may be
COUNT_REACH = 30  # how far before a number a count quantity covering it may begin
POLL_REACH = (6, 10)  # paragraphs before and after a poll sentence whose figures may be its own

_STAFF_GROUPS = lexicon("staff_groups")
_STAFF_GROUP_ORDER = list(dict.fromkeys(_STAFF_GROUPS.labels.values()))  # as the lexicon lists
_ASKED = re.compile(r"\basked\s+(?:by\s+[\w ]+?\s+)?(?:whether|if)\b", re.IGNORECASE)
_VOTE_WORDS = ("vot", "ballot", "turn", "authori")  # one of which _BALLOT needs
# what names a ballot or gives a share of a vote, each form once
_BALLOT_FORMS = (
    r"ballot",
    r"vot(?:ed|ing)\b(?:\s+[\w%.,'-]+){0,4}?\s+(?:to\s+(?:strike|take|walk|continue)|for\s+"
    r"(?:the\s+)?(?:strike|industrial|action)|in\s+favou?r|against|yes|no)\b",
    r"turn-?out\b",
    r"strike\s+authori[sz]ation\b",
    r"authori[sz]ed\s+by\s+\d",
)
_BALLOT = re.compile("|".join(rf"\b{form}" for form in _BALLOT_FORMS), re.IGNORECASE)
# the words one of which every _BALLOT match opens with
_BALLOT_OPENINGS = openings(re.match(r"\w+", form)[0] for form in _BALLOT_FORMS)
_NEW_FRAME = re.compile(
    rf"\b(?:{lexicon('new_poll_words').pattern()}|an?)\s+(?:[\w/&'-]+\s+){{0,4}}?"
    r"(?:poll|survey|ballot)",
    re.IGNORECASE,
)
_ANOTHER = re.compile(
    rf"\b{lexicon('new_poll_words').pattern()}\s+(?:[\w/&'-]+\s+){{0,3}}?(?:poll|survey|ballot)",
    re.IGNORECASE,
)
_POLL_NOUNS = ("poll", "survey", "ballot")  # one of which _NEW_FRAME and _ANOTHER need
# where every _ANOTHER match opens, and every _NEW_FRAME match ("a new poll")
_ANOTHER_OPENINGS = openings(lexicon("new_poll_words").first_words())
_NEW_FRAME_OPENINGS = openings(("a", *lexicon("new_poll_words").first_words()))
# the last words of its phrases, lower-cased, one of which _ANOTHER needs
_NEW_POLL_LAST_WORDS = tuple(
    sorted({p.split()[-1].lower() for p in lexicon("new_poll_words").labels})
)
_SAME = re.compile(r"\bthe\s+same\s+(?:poll|survey|research|ballot|polling)\b", re.IGNORECASE)
# one of which _COMPARED_POLL needs
_COMPARING_WORDS = ("compare", "earlier", "previous", "last", "same", "similar", "line")
_COMPARED_POLL = re.compile(
    r"\b(?:compares?|compared)\s+(?:with|to)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:poll|survey|ballot)|\b(?:earlier|previous|last)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:poll|survey|ballot|time)|\b(?:same\s+as|similar\s+to|in\s+line\s+with)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?(?:poll(?:ing)?|survey|ballot)",
    re.IGNORECASE,
)
# the words one of which every _COMPARED_POLL match opens with
_COMPARED_OPENINGS = openings(("compare", "earlier", "previous", "last", "same", "similar", "in"))
_SPONSOR = re.compile(
    r"\b(?i:poll(?:ing)?|survey|research|ballot)\b[^.;]{0,40}?\b(?:for|commissioned\s+by|on\s+behalf"
    r"\s+of)\s+(?:the\s+)?(?P<sponsor>(?:[A-Z][\w&'.-]*)(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'.-]*)*)"
    r"|\bcommissioned\s+by\s+(?:the\s+)?(?P<sponsor2>[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)*)"
)
_SPONSOR_WORDS = ("for", "commissioned", "behalf")  # one of which _SPONSOR needs
# the words one of which every _SPONSOR match opens with
_SPONSOR_OPENINGS = openings(("poll", "survey", "research", "ballot", "commissioned"))
_SPONSOR_END = re.compile(r"\s+(?:by|has|have|had|shows?|found)\b")
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d{2,6}"
_TWO_DIGITS = re.compile(r"\d\d")  # which every _NUMBER holds
_SAMPLE_NOUN = lexicon("sample_nouns").pattern()
_SAMPLE_NOUNS = lexicon("sample_nouns").first_words()  # one of which _SAMPLE needs
_SAMPLE = re.compile(
    rf"\b(?:of|among|questioned|asked|surveyed|polled|interviewed)\s+(?P<n>{_NUMBER})\s+"
    rf"(?!eligible)(?P<population>(?:[a-zA-Z'-]+\s+){{0,3}}?{_SAMPLE_NOUN})\b"
    rf"|\b(?P<n2>{_NUMBER})\s+(?P<population2>(?:[a-zA-Z'-]+\s+){{0,2}}?{_SAMPLE_NOUN})\s+"
    r"(?:were\s+)?(?:surveyed|questioned|polled|interviewed|asked|took\s+part)"
)
_VOTES_CAST = re.compile(
    rf"(?P<n>{_NUMBER})\s+(?:[\w'-]+\s+){{0,3}}?(?:responded|returned\s+(?:their\s+)?ballots"
    r"|cast\s+(?:their\s+|a\s+)?(?:ballots?|votes?)|voted(?=\s+in\s+(?:the\s+)?[\w'\s]{0,40}?"
    r"ballot|\s*[.,;]))"
    rf"|\bonly\s+(?P<n2>{_NUMBER})\s+of\s+those\s+eligible(?:\s+to\s+vote)?\s+(?:doing\s+so|did"
    r"\s+so|voted|voting)"
    rf"|(?P<n3>{_NUMBER})\s+(?:votes|ballots)\s+(?:were\s+)?(?:cast|returned)"
    rf"|(?m:^)\W*(?:number\s+of\s+votes|votes\s+cast|total\s+votes|ballots\s+returned)\s*:?\s*"
    rf"(?P<n4>{_NUMBER})",
    re.IGNORECASE,
)
_VOTES_CAST_WORDS = ("respond", "return", "cast", "voted", "votes", "eligible")  # one it needs
_LOWER_BOUNDS = {"more_than", "over", "at_least", "up_to"}
_POPULATION_AFTER = re.compile(
    r"\s*of\s+(?P<population>(?:the\s+)?(?:public|adults|voters|people|Britons|Brits|Americans"
    r"|respondents|doctors|junior\s+doctors|nurses|members|medics|patients|staff)"
    r"(?:\s+in\s+[A-Z]\w+)?)\b"
)
# one of which _POPULATION_MAJORITY needs
_MAJORITY_WORDS = ("majority", "most", "proportion", "share", "half")
_POPULATION_MAJORITY = re.compile(
    r"\b(?:majority|most|proportion|share|half)\s+of\s+(?:the\s+)?(?P<population>public(?:\s+in\s+"
    r"[A-Z]\w+)?|adults|voters|Britons|Americans)\b"
)
_QUESTION = re.compile(
    r"\b[Aa]sked\s+(?:by\s+[\w ]+?\s+)?(?P<question>(?:whether|if|about)\s+[^,.;]+)"
)
_FIELDWORK = re.compile(rf"\b{lexicon('fieldwork_words').pattern()}\b", re.IGNORECASE)
_DAYS_LONG = re.compile(
    rf"\b(?P<n>\d|{lexicon('number_words').pattern()})[\s-]day\b", re.IGNORECASE
)
_UNTIL_BEFORE = re.compile(r"\b(?:until|through|ending|concluded|closed|ended)\s*$", re.IGNORECASE)
_CLOSING_WORDS = ("concluded", "closed", "ended", "finished")  # one of which _BALLOT_CLOSED needs
_BALLOT_CLOSED = re.compile(
    r"\b(?:voting|(?:the\s+)?(?:ballot|vote))\s+(?:that\s+|which\s+)?(?:has\s+|had\s+)?"
    r"(?:concluded|closed|ended|finished)\b",
    re.IGNORECASE,
)
_UNTIL_START = re.compile(r"(?:until|till|through)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEARS_AGO = re.compile(
    rf"\b(?P<n>an?|\d+|{lexicon('number_words').pattern()})\s+years?\s+ago,?\s+(?:in\s+|on\s+)?$",
    re.IGNORECASE,
)
_WORD_START = re.compile(r"\b\w")


@dataclass(kw_only=True, unsafe_hash=True, slots=True)
class PollResult(Fact):
    """One answer of one poll or ballot."""

    pollster: str | None
    commissioned_by: str | None
    sample_size: int | None
    population: str | None
    poll_date: dt.date | None
    poll_date_precision: str | None
    question: str | None
    subgroup: str | None
    earlier_wave: bool
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
    is_ballot: bool = False
    another: bool = False  # opened by "another poll": never takes a pollster from elsewhere
    earlier: bool = False  # an earlier round of the poll the text is about
    sentence: int = 0
    answers: list[Answer] = field(default_factory=list)


# --- dates ---------------------------------------------------------------------------------


def _anchor(doc: Analysis) -> dt.date | None:
    """The date relative dates are read against: the published date, else the latest day or
    month the text gives in full (the text is not older than the dates it states), else the
    first weekday and date pair ("Thursday 9th March") in the first year that fits, not before
    the latest year the text names."""
    if doc.published is not None:
        return doc.published
    full = [_years_later(doc, m) for m in doc.dates if m.precision in ("day", "month")]
    if full:
        return max(full)
    years = doc.years
    if not doc.weekday_dates or not years:
        return None
    pair = doc.weekday_dates[0]
    for year in range(max(years), max(years) + 12):
        try:
            candidate = dt.date(year, pair.month, pair.day)
        except ValueError:
            continue
        if candidate.weekday() == pair.weekday:
            return candidate
    return None


def _years_later(doc: Analysis, mention: DateMention) -> dt.date:
    """The day a stated date puts the text at: that date, or, for a date said to be some years
    ago ("roughly two years ago in May 2021"), that many years after it."""
    ago = _YEARS_AGO.search(doc.norm, max(0, mention.char_start - 40), mention.char_start)
    if ago is None:
        return mention.start
    years = _count(ago["n"].lower()) or 1
    try:
        return mention.start.replace(year=mention.start.year + years)
    except ValueError:  # 29 February
        return mention.start + dt.timedelta(days=365 * years)


def _dates_in(doc: Analysis, anchor: dt.date | None, start: int, end: int) -> list[DateMention]:
    """Dates of a span, resolved against the anchor when the text has no published date (a
    word the span cuts is read whole: a span cut at "April 202" still holds April 2023)."""
    if doc.published is not None or anchor is None:
        return doc.dates_in(start, end)
    while 0 < end < len(doc.norm) and doc.norm[end - 1].isalnum() and doc.norm[end].isalnum():
        end += 1
    piece = doc.norm[start:end]
    starts = [match.start() for match in _WORD_START.finditer(piece)]
    return [
        DateMention(m.start, m.end, m.precision, m.char_start + start, m.char_end + start)
        for m in scan_dates(piece, anchor, starts)
    ]


def _in_the_past(mention: DateMention, doc: Analysis, anchor: dt.date | None) -> dt.date:
    """A poll's date is never after the article: a day or month read as the coming one is the
    last one ("in June" in a December article is last June)."""
    day = mention.start
    if anchor is None:
        return day
    latest = anchor if doc.published is not None else anchor + INFERRED_ANCHOR_SLACK
    if day <= latest:
        return day
    if mention.precision == "day" and mention.end is None and (day - latest).days <= 7:
        return day - dt.timedelta(days=7)  # a weekday read forwards
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day - dt.timedelta(days=365)


def _fieldwork_date(
    doc: Analysis, anchor: dt.date | None, sentence: Sentence
) -> tuple[dt.date, str] | None:
    """The first day of fieldwork a sentence gives ("conducted on 4-5 January", "carried out
    between 2 May and 30 June 2023", "a three-day poll carried out through Thursday")."""
    words = doc.norm
    if not doc.has("fieldwork_words", sentence.start, sentence.end):
        return None
    fieldwork = _FIELDWORK.search(words, sentence.start, sentence.end)
    if fieldwork is None:
        return None
    mentions = _dates_in(doc, anchor, fieldwork.start(), sentence.end)
    if not mentions:
        return None
    first = mentions[0]
    day = _in_the_past(first, doc, anchor)
    if len(mentions) > 1 and re.fullmatch(
        r"\s*and\s*", words[first.char_end : mentions[1].char_start]
    ):
        end = mentions[1]  # "between 2 May and 30 June 2023": the year is the second date's
        if not _YEAR.search(words, first.char_start, first.char_end):
            day = day.replace(year=end.start.year)
            if day > end.start:
                day = day.replace(year=end.start.year - 1)
    before = words[sentence.start : first.char_start]
    ends = _UNTIL_BEFORE.search(before) or _UNTIL_START.match(words, first.char_start)
    if ends and first.end is None:
        days = _DAYS_LONG.search(before)
        if days is None:
            return None  # only the last day is given
        count = _count(days.group("n"))
        if count is None:
            return None
        day = day - dt.timedelta(days=count - 1)
    precision = "day" if first.precision == "day" else "month"
    return (day if precision == "day" else day.replace(day=1)), precision


def _ballot_closed(
    doc: Analysis, anchor: dt.date | None, sentence: Sentence
) -> tuple[dt.date, str] | None:
    """The day a ballot closed, when only that is given ("in a vote that closed on Friday",
    "the ballot closed on 3 May"): the ballot's date."""
    if not doc.holds_any(_CLOSING_WORDS, sentence.start, sentence.end):
        return None
    closed = _BALLOT_CLOSED.search(doc.norm, sentence.start, sentence.end)
    if closed is None:
        return None
    mentions = _dates_in(doc, anchor, closed.end(), min(sentence.end, closed.end() + 30))
    if not mentions or mentions[0].precision != "day":
        return None
    if not re.fullmatch(r"\s*(?:on\s+)?", doc.norm[closed.end() : mentions[0].char_start]):
        return None
    return _in_the_past(mentions[0], doc, anchor), "day"


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    label = lexicon("number_words").label(word)
    return int(float(label)) if label else None


# --- frames --------------------------------------------------------------------------------


def _singular(group: str) -> str:
    """The shortest way the lexicon writes a staff group ("junior doctor")."""
    return min(_STAFF_GROUPS.with_label(group), key=len)


def _first_listed(terms: list) -> object | None:
    """Of the staff groups named, the one the lexicon lists first."""
    return min(terms, key=lambda term: _STAFF_GROUP_ORDER.index(term.label), default=None)


def _sample(doc: Analysis, sentence: Sentence, ballot: bool) -> tuple[int | None, str | None]:
    """Respondents or votes cast, and who they are; a lower bound ("more than 18,000") is no
    count of the sample, nor are the members a ballot was sent to ("a ballot of 12,000")."""
    words = doc.norm
    near = doc.quantities_in(sentence.start - COUNT_REACH, sentence.end)  # as _count_at reads
    if not any(quantity.unit == "count" for quantity in near):
        return None, None  # _count_at takes a number only as a count quantity
    digits = _TWO_DIGITS.search(words, sentence.start, sentence.end)
    if not digits:
        return None, None  # a count of either is written in digits
    votes = None
    if doc.holds_any(_VOTES_CAST_WORDS, sentence.start, sentence.end):
        begin = _votes_cast_from(doc, sentence, digits.start())
        votes = _VOTES_CAST.search(words, begin, sentence.end)
    if votes:
        name = next(n for n in ("n", "n2", "n3", "n4") if votes.group(n))
        return _count_at(doc, votes.start(name), votes.group(name)), None
    if ballot:
        return None, None
    nouns = doc.holds_any(_SAMPLE_NOUNS, sentence.start, sentence.end)
    if nouns and (sample := _SAMPLE.search(words, sentence.start, sentence.end)):
        number = sample.group("n") or sample.group("n2")
        start = sample.start("n") if sample.group("n") else sample.start("n2")
        count = _count_at(doc, start, number)
        if count is not None:
            return count, sample.group("population") or sample.group("population2")
    return None, None


def _votes_cast_from(doc: Analysis, sentence: Sentence, digits: int) -> int:
    """Where a match of _VOTES_CAST in a sentence may begin first, given where its first two
    digits stand: a match begins at its number ("1,204" two before its first two digits), at
    "only" or at the start of a line."""
    start, lines = sentence.start, doc.line_starts
    line = bisect_left(lines, start)
    only = doc.folded.find("only", start, digits)
    return min(
        max(start, digits - 2),
        lines[line] if line < len(lines) else digits,
        only if only >= 0 else digits,
    )


def _count_at(doc: Analysis, start: int, number: str) -> int | None:
    """The count written at a position, unless it is a lower bound or not a count at all (a
    year: "of 2017 Green voters")."""
    for quantity in doc.quantities_in(start - COUNT_REACH, start + len(number)):
        if quantity.char_end >= start + len(number) and quantity.unit == "count":
            return None if quantity.qualifier in _LOWER_BOUNDS else int(number.replace(",", ""))
    return None


def _frame_details(doc: Analysis, index: int) -> PollFrame:
    """Pollster, sponsor, sample and population named in a poll sentence."""
    sentences = doc.sentences
    sentence = sentences[index]
    frame = PollFrame(sentence=index)
    words = doc.norm[sentence.start : sentence.end]
    frame.is_ballot = _names_ballot(doc, sentence)
    if pollster := doc.first("pollsters", sentence.start, sentence.end):
        frame.pollster = pollster.label
        frame.is_ballot = False
    elif news := _news_pollster(doc, sentence):
        frame.pollster = news
        frame.is_ballot = False
    elif frame.is_ballot:
        before, after = BALLOT_CONTEXT
        context = (
            sentences[max(0, index - before)].start,
            sentences[min(len(sentences) - 1, index + after)].end,
        )
        union = doc.first("unions", sentence.start, sentence.end) or doc.first("unions", *context)
        if union:
            frame.pollster = f"{union.label} ballot"
            group = _first_listed(doc.terms_in("staff_groups", context[0], sentence.end))
            frame.population = (
                f"{union.label} {_singular(group.label)} members"
                if group
                else f"{union.label} members"
            )
    if any(word in words for word in _SPONSOR_WORDS) and (
        sponsor := _search_in(_SPONSOR, doc, sentence, _SPONSOR_OPENINGS)
    ):
        name = sponsor.group("sponsor") or sponsor.group("sponsor2")
        if lexicon("pollsters").label(name) is None:
            frame.commissioned_by = _SPONSOR_END.split(name)[0]
    sample_size, population = _sample(doc, sentence, frame.is_ballot)
    if sample_size is not None:
        frame.sample_size = sample_size
    if population:
        frame.population = population
    elif any(word in words for word in _MAJORITY_WORDS) and (
        majority := _POPULATION_MAJORITY.search(words)
    ):
        frame.population = majority.group("population")
    frame.another = doc.holds_any(_NEW_POLL_LAST_WORDS, sentence.start, sentence.end) and bool(
        _search_in(_ANOTHER, doc, sentence, _ANOTHER_OPENINGS)
    )
    return frame


def _search_in(
    pattern: re.Pattern[str], doc: Analysis, sentence: Sentence, opening: re.Pattern[str]
) -> re.Match[str] | None:
    """pattern.search in the sentence's text cut out of the document (offsets from its start),
    for a pattern whose every match opens where `opening` (scanning.openings) matches: tried
    only there."""
    words = doc.norm[sentence.start : sentence.end]
    folded = doc.folded[sentence.start : sentence.end]
    return next(matches_opening(pattern, words, folded, 0, len(words), opening), None)


def _news_pollster(doc: Analysis, sentence: Sentence) -> str | None:
    """A news organisation named as the one that polled: "a BBC survey", "polled by CNN"."""
    for outlet in doc.terms_in("news_pollsters", sentence.start, sentence.end):
        after = doc.norm[outlet.end : min(sentence.end, outlet.end + 25)]
        before = doc.norm[max(sentence.start, outlet.start - 30) : outlet.start]
        if re.match(r"^(?:'s)?\s+(?:[\w/-]+\s+)?(?:poll|survey|polling)\b", after) or re.search(
            r"\b(?:polled|surveyed|poll|survey|polling)\s+(?:carried\s+out\s+|conducted\s+)?by\s+"
            r"(?:the\s+)?$",
            before,
        ):
            return outlet.label
    return None


def _poll_sentences(doc: Analysis, percent: list[int]) -> set[int]:
    """Sentences that name a poll, a pollster or ask a question ("asked whether"), or give a
    share of a vote ("voted 90% in favour", "a 60% turnout") (`percent`: the sentences that
    hold a percentage)."""
    starts = [term.start for name in ("poll_words", "pollsters") for term in doc.terms[name]]
    # where _ASKED may match: tried only there
    asked = [term.start for term in doc.terms["reporting_verbs"] if term.label == "asked"]
    starts += [match.start() for match in finditer_at(_ASKED, doc.norm, asked)]
    found = set()
    for start in starts:
        if (sentence := doc.sentence_at(start)) is not None:
            found.add(doc.sentence_index(sentence))
    for index in percent:
        sentence = doc.sentences[index]
        if index not in found and _names_ballot(doc, sentence):
            found.add(index)
    return {index for index in found if not doc.skip.contains(doc.sentences[index].start)}


def _names_ballot(doc: Analysis, sentence: Sentence) -> bool:
    """Whether a sentence names a ballot or gives a share of a vote (_BALLOT)."""
    return doc.holds_any(_VOTE_WORDS, sentence.start, sentence.end) and bool(
        _search_in(_BALLOT, doc, sentence, _BALLOT_OPENINGS)
    )


def _conflicts(frame: PollFrame, details: PollFrame) -> bool:
    for name in ("pollster", "commissioned_by"):
        mine, theirs = getattr(details, name), getattr(frame, name)
        if mine and theirs and mine.lower() != theirs.lower():
            return True
    return details.is_ballot != frame.is_ballot and bool(details.pollster or frame.pollster)


def _merge(into: PollFrame, details: PollFrame) -> None:
    """Fill a frame's unknown fields from a later sentence about the same poll."""
    for name in ("pollster", "commissioned_by", "sample_size", "population"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(details, name))
    into.is_ballot = into.is_ballot or (details.is_ballot and not into.pollster)


@dataclass
class _Reader:
    """State while reading a text's sentences in order: the polls met so far."""

    doc: Analysis
    anchor: dt.date | None
    frames: list[PollFrame] = field(default_factory=list)
    current: PollFrame | None = None
    last_earlier: PollFrame | None = None

    def poll_sentence(self, index: int) -> PollFrame | None:
        """Open or extend the frame a poll sentence is about; the earlier round it opens, if
        any, which takes that sentence's figures."""
        doc = self.doc
        sentence = doc.sentences[index]
        words = doc.norm[sentence.start : sentence.end]
        details = _frame_details(doc, index)
        fieldwork = _fieldwork_date(doc, self.anchor, sentence) or _ballot_closed(
            doc, self.anchor, sentence
        )
        current = self.current
        same = doc.holds_any(("same",), sentence.start, sentence.end) and _SAME.search(words)
        compared = (
            current is not None
            and doc.holds_any(_COMPARING_WORDS, sentence.start, sentence.end)
            and _search_in(_COMPARED_POLL, doc, sentence, _COMPARED_OPENINGS)
        )
        if compared and not same:
            earlier = PollFrame(
                pollster=details.pollster or current.pollster,
                is_ballot=current.is_ballot,
                earlier=True,
                sentence=index,
            )
            when = fieldwork or self._round_month(sentence, compared.start())
            if when:
                earlier.poll_date, earlier.poll_date_precision = when
            self.frames.append(earlier)
            self.last_earlier = earlier
            return earlier
        opens = (
            current is None
            or _conflicts(current, details)
            or (
                doc.holds_any(_POLL_NOUNS, sentence.start, sentence.end)
                and _search_in(_NEW_FRAME, doc, sentence, _NEW_FRAME_OPENINGS)
                and not same
                and not (
                    not current.answers
                    and index - current.sentence <= JOINS_AN_EMPTY_POLL
                    and not details.another
                )
            )
        )
        if opens:
            self.current = current = details
            self.frames.append(details)
        else:
            _merge(current, details)
            current.sentence = index
        if fieldwork and current.poll_date is None:
            current.poll_date, current.poll_date_precision = fieldwork
        return None

    def method_note(self, index: int) -> None:
        """Fieldwork dates or votes cast in a sentence that does not name the poll ("Fieldwork
        ran from ...", "Votes cast: 4,102") fill the current poll if nothing has."""
        frame, sentence = self.current, self.doc.sentences[index]
        if frame is None:
            return
        if frame.poll_date is None:
            when = _fieldwork_date(self.doc, self.anchor, sentence)
            if when:
                frame.poll_date, frame.poll_date_precision = when
        if frame.sample_size is None and (frame.is_ballot or index == frame.sentence + 1):
            # votes cast in a ballot's table; the rest of a poll sentence cut at "Sept."
            sample_size, population = _sample(self.doc, sentence, frame.is_ballot)
            if sample_size is not None:
                frame.sample_size = sample_size
                frame.population = frame.population or population

    def _round_month(self, sentence: Sentence, offset: int) -> tuple[dt.date, str] | None:
        """The month an earlier round is dated to in the sentence that compares with it."""
        doc = self.doc
        for mention in _dates_in(doc, self.anchor, sentence.start + offset, sentence.end):
            if mention.precision in ("month", "day"):
                return _in_the_past(mention, doc, self.anchor).replace(day=1), "month"
        return None

    def attach(self, answer: Answer, earlier: PollFrame | None) -> PollFrame | None:
        frame: PollFrame | None
        if earlier is not None:
            frame = earlier
        elif answer.that_time and self.last_earlier is not None:
            frame = self.last_earlier
        else:
            frame = self.current
        if frame is not None:
            frame.answers.append(answer)
        return frame


def extract_polls(doc: Analysis, found: Found) -> list[PollResult]:
    """Poll and ballot results stated in a text, one per answer mention, in text order."""
    del found  # polls read no other fact type
    percent = doc.percent_sentences  # the only sentences that may state an answer (figures_of)
    polls = _poll_sentences(doc, percent)
    if not polls:
        return []
    with_figures = set(percent)
    reach = _within_reach(doc, polls)  # poll sentences among them
    reader = _Reader(doc, _anchor(doc))
    table_questions = _table_questions(doc)
    before_any: list[Answer] = []
    read: list[tuple[int, list[Answer]]] = []
    previous_measure = None
    for index in sorted(reach):
        sentence = doc.sentences[index]
        if doc.skip.contains(sentence.start):
            continue
        earlier = reader.poll_sentence(index) if index in polls else None
        if index not in polls:
            reader.method_note(index)
        if index not in with_figures:
            continue
        answers = read_answers(doc, sentence, previous_measure)
        if answers:
            question = _question_of(doc, sentence, table_questions)
        for answer in answers:
            answer.question = question
            if reader.attach(answer, earlier) is None:
                before_any.append(answer)
        if answers:
            read.append((index, answers))
            previous_measure = answers[-1].measure
    if len([frame for frame in reader.frames if not frame.earlier]) == 1:
        reader.frames[0].answers[:0] = before_any  # figures before the poll is named are its
    _drop_lone_dont_know(read)
    _name_unnamed_pollsters(doc, reader.frames)
    placed = sorted(
        ((frame, answer) for frame in reader.frames for answer in frame.answers),
        key=lambda pair: pair[1].figure.char_start,
    )
    digits = [answer.figure.value for _, answer in placed if not answer.in_words]
    rows: list[PollResult] = []
    last_round = None  # the date of the last row of an earlier round
    for frame, answer in placed:
        if answer.measure == "" or (
            answer.in_words and any(abs(answer.figure.value - v) <= ECHO_POINTS for v in digits)
        ):
            continue  # dropped, or a share in words that repeats one in digits
        row = _record(reader, frame, answer, last_round)
        rows.append(row)
        if row.earlier_wave:
            last_round = row.poll_date
    return sorted(rows, key=lambda row: row.char_start)


def _within_reach(doc: Analysis, polls: set[int]) -> set[int]:
    """Sentences close enough to a poll sentence to report its figures: from a few paragraphs
    before one (a headline, a list of findings) to several after."""
    before, after = POLL_REACH
    paragraphs = {doc.sentences[index].paragraph for index in polls}
    near = {p for poll in paragraphs for p in range(poll - before, poll + after + 1)}
    return {index for index, sentence in enumerate(doc.sentences) if sentence.paragraph in near}


def _table_questions(doc: Analysis) -> list[tuple[int, int, str | None]]:
    """Where each table under a heading lies, with the question its heading asks, if any (a
    text without a question mark asks none: its tables need not be found)."""
    if not doc.lines_holding("?"):
        return []
    found = []
    for block in doc.blocks:
        if block.heading:
            heading = doc.text[block.heading[0] : block.heading[1]].strip()
            question = heading if heading.endswith("?") else None
            found.append((block.rows[0][0], block.rows[-1][1], question))
    return found


def _question_of(
    doc: Analysis, sentence: Sentence, table_questions: list[tuple[int, int, str | None]]
) -> str | None:
    """The question a sentence's answers are to: "asked whether ...", or the heading of its
    table."""
    if doc.holds_any(("asked",), sentence.start, sentence.end) and (
        asked := _QUESTION.search(doc.text, sentence.start, sentence.end)
    ):
        return asked.group("question").strip()
    for start, end, question in table_questions:
        if start <= sentence.start <= end:
            return question
    return None


def _drop_lone_dont_know(read: list[tuple[int, list[Answer]]]) -> None:
    """A "don't know" share answers a question only beside the other answers to it: in its
    sentence or the one before."""
    previous_index, previous_answers = -2, []
    for index, answers in read:
        measures = {a.measure for a in answers}
        others = measures - {"dont_know"} or (
            index - previous_index == 1 and {a.measure for a in previous_answers}
        )
        if not others:
            for answer in answers:
                answer.measure = ""
        previous_index, previous_answers = index, answers


def _name_unnamed_pollsters(doc: Analysis, frames: list[PollFrame]) -> None:
    """A poll whose pollster the text names only elsewhere ("For all of X's polling ...")
    takes that pollster when the text names only one."""
    named = {term.label for term in doc.terms["pollsters"]}
    if len(named) != 1:
        return
    for frame in frames:
        if frame.pollster is None and not frame.another and not frame.is_ballot:
            frame.pollster = next(iter(named))


def _record(
    reader: _Reader, frame: PollFrame, answer: Answer, last_round: dt.date | None
) -> PollResult:
    """A poll result from a frame and one of its answers; `last_round` is the date of the
    earlier round the text named last ("At that time, ...")."""
    doc, anchor = reader.doc, reader.anchor
    wave = None if answer.current else _wave_date(doc, anchor, answer)
    if wave is None and answer.that_time and not frame.earlier and last_round is not None:
        wave = last_round
    reference = frame.poll_date or (doc.published or anchor)
    pollster, sponsor = frame.pollster, frame.commissioned_by
    sample, population = frame.sample_size, answer_population(doc, answer) or frame.population
    poll_date, precision, earlier = frame.poll_date, frame.poll_date_precision, frame.earlier
    if frame.earlier:
        sample = population = sponsor = None
        if poll_date is None and wave is not None:
            poll_date, precision = wave, "month"
    elif answer.earlier or (
        wave is not None
        and reference is not None
        and wave < reference.replace(day=1)
        and not (frame.is_ballot and frame.poll_date is None)
    ):
        earlier, sample, population, sponsor = True, None, None, None
        poll_date, precision = (wave, "month") if wave else (None, None)
    elif wave is not None and frame.is_ballot and frame.poll_date is None:
        poll_date, precision = wave, "month"
    if poll_date is None and not earlier and doc.published is not None:
        poll_date, precision = doc.published.replace(day=1), "published"
    return PollResult(
        char_start=answer.start,
        char_end=answer.end,
        pollster=pollster,
        commissioned_by=sponsor,
        sample_size=sample,
        population=population,
        poll_date=poll_date,
        poll_date_precision=precision,
        question=answer.question,
        subgroup=answer.subgroup,
        earlier_wave=earlier,
        measure=answer.measure,
        pct=float(answer.figure.value),
    )


def answer_population(doc: Analysis, answer: Answer) -> str | None:
    """Who a figure counts when the words after it say ("54% of adults")."""
    match = _POPULATION_AFTER.match(doc.norm, answer.figure.char_end)
    return match.group("population") if match else None


def _wave_date(doc: Analysis, anchor: dt.date | None, answer: Answer) -> dt.date | None:
    """The month a figure's own words date it to, if any; a day still to come ("begins on
    Monday") dates an event, not a round of the poll."""
    for start, end in answer.date_spans:
        for mention in _dates_in(doc, anchor, start, end):
            if mention.precision == "day" and doc.published and mention.start > doc.published:
                continue
            if mention.precision in ("month", "day"):
                return _in_the_past(mention, doc, anchor).replace(day=1)
    return None


def to_gold(row: dict) -> dict:
    """An extracted.poll_results row in the gold's terms."""
    return {
        **provenance(row),
        "pollster": row.get("pollster"),
        "commissioned_by": row.get("commissioned_by"),
        "sample_size": row.get("sample_size"),
        "population": row.get("population"),
        "date": None
        if row.get("poll_date_precision") == "published"
        else date_at_precision(row.get("poll_date"), row.get("poll_date_precision")),
        "measure": row.get("measure"),
        "pct": row.get("pct"),
        "question": row.get("question"),
        "subgroup": row.get("subgroup"),
        "earlier_wave": True if row.get("earlier_wave") else None,
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
        "earlier_wave",
    ),
    match_key=("pct", "measure"),
    to_gold=to_gold,
    colour="#9467bd",
)
