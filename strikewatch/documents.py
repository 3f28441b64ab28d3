"""The document layer: page boilerplate, article metadata and live-blog posts, by rule.

Rules describe how news pages are laid out, not any one file:
- boilerplate is page furniture (embed notices, consent prompts, donation and sign-up appeals,
  app promotions); it is located as spans of the raw text, which itself stays whole;
- the header (first lines) holds the publisher label, section label, byline, headline and dateline;
- live-blog posts start at "<title>published at <time> <zone> <date>" markers, or sit between
  "Updated" markers or clock-time lines.
All matching runs on `textnorm.normalize(text)`, which has the raw text's length, so every
offset found indexes the raw text too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cache, cached_property
from zoneinfo import ZoneInfo

from strikewatch.extract.dates import (
    CLOCK_PATTERN,
    MONTH_PATTERN_ANY_CASE,
    ZONE_PATTERN,
    read_calendar_date,
    read_clock,
    read_dateline,
    zone_offset,
)
from strikewatch.extract.scanning import finditer_at, folded, occurrences
from strikewatch.textnorm import NormalText, lower_same_length, normalize

UK = ZoneInfo("Europe/London")
HEADER_LINES = 25
# A crawler's stamp that opens the first line, the text following on the same line: " date
# 2022-07-27 Union members walked out ..." (the stamp alone is the dateline).
_DATE_STAMP = re.compile(r"date (?P<day>\d{4}-\d{2}-\d{2})(?=\s|$)")

_MONTH = MONTH_PATTERN_ANY_CASE
_ZONE = ZONE_PATTERN
_CLOCK = CLOCK_PATTERN

# --- boilerplate -------------------------------------------------------------------------------

_EMBED_BLOCKS = [
    r"this (?P<p>\w+) post cannot be displayed.{0,2000}?end of (?P=p) post",
    r"allow (?P<q>\w+) content\?\s*this article contains content provided by (?P=q)"
    r".{0,1000}?accept and continue'?\.?",
    r"skip (?:\w+ ){1,2}post",
    r"view original content on \w+",
    r"the [\w ]{2,40} is not responsible for the content of external sites\.?",
    r"end of \w+ post",
]
_FURNITURE_LINES = [
    r"get all your news in one place\.?",
    r"[\d,]+'?s\+? of (?:premium|trusted) titles\.?",
    r"[\d,]+\+? trusted global sources\.?",
    r"one app\.?(?: one membership\.?)?",
    r"start reading",
    r"sign up to read this article",
    r"read news from [^\n]{0,80} titles[^\n]*",
    r"already a member\? sign in here",
    r"related stories",
    r"top stories on [^\n]*",
    r"one subscription that [^\n]*",
    r"our picks",
    r"\w+ days free",
    r"download (?:the|our) app[^\n]*",
    r"stay up to date with notifications from [^\n]*",
    r"notifications can be managed in browser preferences\.?",
    r"comments",
    r"join our commenting forum",
    r"join thought-provoking conversations[^\n]*",
    r"thank you for registering",
    r"please refresh the page[^\n]*",
    r"send us your views: \S+@\S+",
    r"your support helps us to tell the story",
    r"your support makes all the difference\.?",
    r"(?:share|copy link|advertisement|skip advert)",
    r"sign up (?:to|for) (?:our|the) [^\n]*newsletter[^\n]*",
]
_APPEAL_WORDS = (
    r"your donation|paywalls?\b|support (?:our|independent) journalism|make a contribution"
)
# Page-layout patterns are lower case and read the lower-cased text (`lower_same_length`): a
# case-sensitive scan lets the regex engine skip ahead, many times faster than IGNORECASE.
# What the lower-cased page must hold for each of _EMBED_BLOCKS to match, and for _APPEAL to;
# the first, third and last blocks hold " post" besides, which most pages do not (looked for
# once, first).
_EMBED_NEEDS = [
    ("post cannot be displayed",),
    ("content provided by",),
    ("skip ",),
    ("view original content on ",),
    (" is not responsible for the content of external sites",),
    ("end of ",),
]
_EMBED_POST_BLOCKS = (0, 2, 5)
_APPEAL_NEEDS = ("your donation", "paywall", "journalism", "make a contribution")
# What each of _EMBED_BLOCKS opens with: a match is tried only where one of these begins.
_EMBED_OPENINGS = ("this ", "allow ", "skip ", "view original content on ", "the ", "end of ")
_FURNITURE_LINE = re.compile(
    r"[ \t]*(?:" + "|".join(f"(?:{p})" for p in _FURNITURE_LINES) + r")[ \t]*"
)
# _FURNITURE_LINE as the rest of a line after a line break, which the engine skips to (no
# furniture pattern reads past the end of its line).
_FURNITURE_LINE_AFTER_BREAK = re.compile(rf"\n({_FURNITURE_LINE.pattern})(?![^\n])")
_APPEAL = re.compile(_APPEAL_WORDS)
FURNITURE_LINE_CHARS = 200  # page furniture is a short line


def find_boilerplate(norm: str, lowered: str | None = None) -> list[tuple[int, int]]:
    """Spans [start, end) of page furniture in the normalised text, merged where they touch:
    embed notices, furniture lines, and lines that appeal for money or sign-ups (`lowered`:
    norm lower-cased, when the caller has it)."""
    norm = lowered if lowered is not None else lower_same_length(norm)
    post = " post" in norm
    present = tuple(
        index
        for index, needs in enumerate(_EMBED_NEEDS)
        if (post or index not in _EMBED_POST_BLOCKS) and all(need in norm for need in needs)
    )
    found = []
    if present:
        openings = occurrences(norm, [_EMBED_OPENINGS[index] for index in present])
        found += [match.span() for match in finditer_at(_embed_pattern(present), norm, openings)]
    first_end = norm.find("\n")
    if first_end < 0:
        first_end = len(norm)
    if first_end <= FURNITURE_LINE_CHARS and _FURNITURE_LINE.fullmatch(norm, 0, first_end):
        found.append((0, first_end))
    for match in _FURNITURE_LINE_AFTER_BREAK.finditer(norm):
        start, end = match.span(1)
        if end - start <= FURNITURE_LINE_CHARS:
            found.append((start, end))
    appeals = _APPEAL.finditer(norm) if any(need in norm for need in _APPEAL_NEEDS) else ()
    for match in appeals:
        line_start = norm.rfind("\n", 0, match.start()) + 1
        line_end = norm.find("\n", match.end())
        found.append((line_start, line_end if line_end >= 0 else len(norm)))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if end <= start:
            continue
        if spans and start <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


@cache
def _embed_pattern(blocks: tuple[int, ...]) -> re.Pattern[str]:
    """The alternation of those _EMBED_BLOCKS, in order: the others cannot match (their words are
    missing), and leaving them out spares the engine trying them at every "the "."""
    return re.compile("|".join(f"(?:{_EMBED_BLOCKS[index]})" for index in blocks), re.DOTALL)


_BLANK_LINES = re.compile(r"\n\s*\n+")


def strip_spans(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """text[start:end] with the given spans cut out, blank lines folded, ends trimmed."""
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= cursor or span_start >= end:
            continue
        pieces.append(text[cursor : max(cursor, span_start)])
        cursor = min(end, span_end)
    pieces.append(text[cursor:end])
    return _BLANK_LINES.sub("\n\n", "\n".join(p.strip() for p in pieces if p.strip())).strip()


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    for start, end in spans:  # noqa: SIM110 (any() of a generator: slower on these few spans)
        if start <= position < end:
            return True
    return False


# --- posts -----------------------------------------------------------------------------------

_TIMED_MARKER = re.compile(
    rf"(?:published|posted|updated) at {_CLOCK}\s*(?P<zone>{_ZONE})?,?\s*"
    rf"(?P<date>\d{{1,2}} {_MONTH} \d{{4}})?",
)
_REPEATED_STAMP = re.compile(
    rf"\s*\d{{1,2}}[:.]\d{{2}}\s*(?:{_ZONE})?\s*(?:\d{{1,2}} {_MONTH} \d{{4}})?"
)
_UPDATE_LINE = re.compile(
    rf"^[ \t]*updated(?: at {_CLOCK}\s*(?P<zone>{_ZONE})?)?[ \t]*$", re.MULTILINE
)
_CLOCK_LINE = re.compile(rf"^[ \t]*{_CLOCK}\s*(?P<zone>{_ZONE})?[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Post:
    """One live-blog entry: offsets into the raw text, title and body without furniture."""

    seq: int
    char_start: int
    char_end: int
    posted_at: datetime | None
    title: str | None
    body: str


# What every stamp and clock line holds, "\d[:.]\d\d", as two patterns that open with their own
# character, which the engine skips to.
_CLOCK_SHAPES = (re.compile(r":(?<=\d:)\d\d"), re.compile(r"\.(?<=\d\.)\d\d"))
# What a line must open with for _UPDATE_LINE, and for _CLOCK_LINE, to match it: the line's
# start is the text's or the end of a line break, the one pattern the engine skips to.
_UPDATE_LINE_OPENS = (re.compile(r"[ \t]*updated"), re.compile(r"\n[ \t]*updated"))
_CLOCK_LINE_OPENS = (re.compile(r"[ \t]*\d\d?[:.]\d\d"), re.compile(r"\n[ \t]*\d\d?[:.]\d\d"))
_DAY_AND_CLOCK = re.compile(r"/\d{4}\s+\d{1,2}:\d{2}")  # what the last of _STAMPS holds
_STAMP_WORDS = ("published", "updated", "posted")  # what the first of _STAMPS opens with
_STAMPS = [
    re.compile(
        r"(?:published|updated|posted)(?:\s+at)?\s+\d{1,2}[:.]\d{2}[^\n]{0,40}?\d{4}",
    ),
    re.compile(  # one that opens a line ("^\d{1,2}"): tried where a clock line may start
        rf"\d(?<![^\n]\d)\d?[:.]\d{{2}}\s+{_ZONE}\s+\d{{1,2}}\s+\w+\s+\d{{4}}",
    ),
    re.compile(rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}\s+\d{{1,2}}:\d{{2}}(?:\s+{_ZONE})?"),
]


def find_stamps(
    norm: str, lowered: str | None = None, marks: PostMarkers | None = None
) -> list[tuple[int, int]]:
    """Spans of publication and update stamps in the normalised text: "published at 10:32 GMT
    12 January 2016". `lowered` is norm lower-cased, and `marks` its post markers, when the
    caller has them."""
    norm = lowered if lowered is not None else lower_same_length(norm)
    marks = marks if marks is not None else PostMarkers.of(norm)
    spans = []
    if marks.clock:  # each pattern but _UPDATE_LINE needs a clock time; and besides:
        if marks.stamp_words:  # what the first of _STAMPS opens with
            spans += [m.span() for m in finditer_at(_STAMPS[0], norm, marks.stamp_words)]
        spans += [m.span() for m in finditer_at(_STAMPS[1], norm, marks.clock_line_starts)]
        if _DAY_AND_CLOCK.search(norm):
            spans += [match.span() for match in _STAMPS[2].finditer(norm)]
    for match in marks.timed:
        repeated = _REPEATED_STAMP.match(norm, match.end())
        spans.append(
            (
                match.start(),
                repeated.end() if repeated and repeated.group().strip() else match.end(),
            )
        )
    spans += [match.span() for match in marks.update_lines]
    spans += [match.span() for match in marks.clock_lines]
    return spans


@dataclass(frozen=True)
class PostMarkers:
    """What marks posts on a page, each kind found once in the lower-cased text (for the posts,
    the stamps and the header): "published at 10:32" markers, "Updated" lines and clock-time
    lines; `clock` says whether the page holds a clock time at all (each but "Updated" needs
    one), `stamp_words` where the words "published", "posted" and "updated" begin (found by
    `str.find`, far faster than the engine looks for them; every marker and the first of
    _STAMPS opens with one), `clock_line_starts` the starts of the lines that may open with a
    clock time (after spaces and tabs: every clock line, and the second of _STAMPS, opens
    there)."""

    clock: bool
    stamp_words: list[int]
    clock_line_starts: list[int]
    timed: list[re.Match[str]]
    update_lines: list[re.Match[str]]
    clock_lines: list[re.Match[str]]

    @classmethod
    def of(cls, lowered: str) -> PostMarkers:
        clock = _has_clock_shape(lowered)
        words = occurrences(lowered, _STAMP_WORDS)
        timed = [at for at in words if lowered.startswith(_TIMED_MARKER_OPENINGS, at)]
        updated = [at for at in words if lowered.startswith("updated", at)]
        clock_lines = _clock_line_starts(lowered) if clock else []
        return cls(
            clock,
            words,
            clock_lines,
            list(finditer_at(_TIMED_MARKER, lowered, timed)) if clock else [],
            list(finditer_at(_UPDATE_LINE, lowered, _lines_opening_at(lowered, updated))),
            list(finditer_at(_CLOCK_LINE, lowered, clock_lines)),
        )

    @cached_property
    def timed_starts(self) -> list[int]:
        return [match.start() for match in self.timed]

    def timed_in(self, start: int, end: int) -> bool:
        """Whether a "published at" marker starts in [start, end)."""
        starts = self.timed_starts
        index = bisect_left(starts, start)
        return index < len(starts) and starts[index] < end


def _clock_line_starts(lowered: str) -> list[int]:
    """Starts of the lines that open as _CLOCK_LINE_OPENS says (see `_some_line_opens`)."""
    at_start, after_break = _CLOCK_LINE_OPENS
    starts = [0] if at_start.match(lowered) else []
    return starts + [match.start() + 1 for match in after_break.finditer(lowered)]


def _lines_opening_at(lowered: str, positions: list[int]) -> list[int]:
    """Starts of the lines whose text, but for spaces and tabs, opens at one of the ascending
    positions."""
    starts = []
    for at in positions:
        line_start = lowered.rfind("\n", 0, at) + 1
        if not lowered[line_start:at].strip(" \t"):
            starts.append(line_start)
    return starts


def _has_clock_shape(lowered: str) -> bool:
    """Whether the text holds a digit, a colon or a full stop, and two digits ("10:32")."""
    return any(shape.search(lowered) for shape in _CLOCK_SHAPES)


def _some_line_opens(lowered: str, opens: tuple[re.Pattern[str], re.Pattern[str]]) -> bool:
    """Whether the text's first line matches the first pattern, or the second matches a line
    break and what opens the next line."""
    at_start, after_break = opens
    return bool(at_start.match(lowered) or after_break.search(lowered))


_TIMED_MARKER_OPENINGS = ("published at ", "posted at ", "updated at ")  # each a stamp word's


@dataclass(frozen=True)
class _Marker:
    start: int  # where the post (with its title) begins
    body_start: int
    posted_at: datetime | None
    title: str | None


def _aware(day: date, clock: tuple[int, int], zone: str | None) -> datetime:
    tz = zone_offset(zone) or UK
    return datetime(day.year, day.month, day.day, *clock, tzinfo=tz).astimezone(UTC)


def _timed_markers(
    norm: str,
    timed: list[re.Match[str]],
    boilerplate: Sequence[tuple[int, int]],
    day: date | None,
):
    markers = []
    for match in timed:
        if _inside(match.start(), boilerplate):
            continue
        line_start = norm.rfind("\n", 0, match.start()) + 1
        title_start = max([line_start] + [end for _, end in boilerplate if end <= match.start()])
        raw_title = norm[title_start : match.start()]
        title_start += len(raw_title) - len(raw_title.lstrip())
        clock = read_clock(match)
        marker_day = read_calendar_date(match["date"])[0] if match["date"] else day
        posted_at = _aware(marker_day, clock, match["zone"]) if clock and marker_day else None
        stamp = _REPEATED_STAMP.match(norm, match.end())
        body_start = stamp.end() if stamp and stamp.group().strip() else match.end()
        title = raw_title.strip() or None
        markers.append(_Marker(title_start, body_start, posted_at, title))
    return markers


def _line_markers(matches: list[re.Match[str]], day: date | None) -> list[_Marker]:
    markers = []
    for match in matches:
        clock = read_clock(match) if match["hour"] else None
        posted_at = _aware(day, clock, match["zone"]) if clock and day else None
        markers.append(_Marker(match.start(), match.end(), posted_at, None))
    return markers


def segment_posts(
    text: str,
    lowered: str,
    boilerplate: Sequence[tuple[int, int]],
    day: date | None,
    marks: PostMarkers | None = None,
) -> list[Post]:
    """Live-blog posts, by the first marker style the page uses; [] for a plain article.

    `lowered` is the lower-cased normalised text: markers are found in it (`marks`, when the
    caller has them), titles cut from text.
    """
    norm = lowered
    marks = marks if marks is not None else PostMarkers.of(lowered)
    markers = _timed_markers(norm, marks.timed, boilerplate, day)
    untitled = not markers
    if untitled:
        for lines in (marks.update_lines, marks.clock_lines):
            markers = _line_markers(lines, day)
            if len(markers) >= 2:
                break
        else:
            return []
    posts: list[Post] = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start if index + 1 < len(markers) else len(text)
        body = strip_spans(text, marker.body_start, end, boilerplate)
        if not body and not marker.title:
            continue
        title = text[marker.start : marker.start + len(marker.title)] if marker.title else None
        if untitled:
            first_line, _, rest = body.partition("\n")
            if rest.strip() and _looks_like_headline(normalize(first_line)):
                title = first_line.strip()
        content_end = _trim_end(norm, marker.body_start, end, boilerplate)
        posts.append(Post(len(posts) + 1, marker.start, content_end, marker.posted_at, title, body))
    return posts


def _trim_end(norm: str, start: int, end: int, boilerplate: Sequence[tuple[int, int]]) -> int:
    """Move end back over trailing whitespace and boilerplate."""
    changed = True
    while changed and end > start:
        changed = False
        stripped = len(norm[start:end].rstrip())
        if start + stripped < end:
            end, changed = start + stripped, True
        for span_start, span_end in boilerplate:
            if span_start < end <= span_end and span_start >= start:
                end, changed = span_start, True
    return end


# --- header: byline, headline, dateline, publisher ---------------------------------------------

_NAME = r"[A-Z][a-zA-Z'-]+(?: [A-Z][a-zA-Z'-]+){1,2}"
_BYLINE = re.compile(rf"^(?i:by )?(?P<names>{_NAME}(?:(?:, | and | & ){_NAME})*)$")
# How a byline begins, role or not: names, up to its first comma or its end.
_BYLINE_START = re.compile(rf"(?i:by )?{_NAME}(?:(?: and | & ){_NAME})*(?:,|$)")
_NAME_BREAKS = re.compile(r", | and | & ")
_ROLE_WORD = re.compile(
    r"\b(?:reporter|editor|correspondent|journalist|writer|columnist|staff)\b", re.IGNORECASE
)
_NOT_NAME_WORDS = {
    "live",
    "reporting",
    "summary",
    "comments",
    "news",
    "latest",
    "updates",
    "key",
    "points",
    "related",
    "stories",
    "today",
    "programme",
    "radio",
    "breakfast",
    "health",
    "politics",
    "reading",
    "start",
    "home",
    "more",
    "world",
}
_ORG_WORD = r"[A-Z](?:[a-z'&]+|[A-Z&]*)"
_ORG = rf"(?<![A-Za-z])(?P<name>(?:The )?{_ORG_WORD}(?: {_ORG_WORD}){{0,3}})"
# Where pages name their outlet, each with words (one of which the lower-cased page must hold)
# for the pattern to be tried.
_PUBLISHER_PATTERNS = [
    (
        (" - uk", " - us", " - australia", " - europe", " - international"),
        re.compile(rf"^{_ORG} - (?:UK|US|Australia|Europe|International)$", re.MULTILINE),
    ),
    (("notifications from",), re.compile(rf"notifications from {_ORG}")),
    (
        ("is not responsible",),
        re.compile(rf"{_ORG} is not responsible for the content of external sites"),
    ),
    (("©",), re.compile(rf"© (?:\d{{4}} )?{_ORG}")),
    (("(c)",), re.compile(rf"\([cC]\) (?:\d{{4}} )?{_ORG}")),
    (("copyright",), re.compile(rf"(?i:copyright) (?:\d{{4}} )?{_ORG}")),
]
_SECTION_START = re.compile(
    r"^(?:summary|key (?:points|events)|live reporting|live)$", re.IGNORECASE
)
SECTION_START_CHARS = len("live reporting")  # the longest line _SECTION_START matches
# "live" as a word, or a phrase that says so, in the folded text (scanning.folded): each opening
# with "live", which the engine, matching case-sensitively, skips to.
_LIVE_WORDS = re.compile(r"live(?<=\blive)\b|live reporting|live updates")


@dataclass(frozen=True)
class Header:
    """What the first lines of a page say about the article."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    published_date: date | None = None
    published_at: datetime | None = None
    mentions_live: bool = False
    dateline: tuple[int, int] | None = None  # span of the date line, when there is one


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 25 and len(line) <= 200 and not line.rstrip().endswith((".", ":"))


def _without_role(line: str) -> str:
    """A line (one without a line break) without the role after its last comma, if that part
    names one: "By Sarah Mills, Health Reporter" -> "By Sarah Mills"."""
    names, comma, role = line.rpartition(",")
    return names if comma and _ROLE_WORD.search(role) else line


def _byline_names(line: str) -> list[str] | None:
    if not _BYLINE_START.match(line):
        return None  # most lines are no byline
    match = _BYLINE.match(_without_role(line))
    if not match:
        return None
    names = _NAME_BREAKS.split(match["names"])
    words = {word.lower() for name in names for word in name.split()}
    return None if words & _NOT_NAME_WORDS else names


def _dateline(line: str) -> tuple[date, datetime | None] | None:
    found = read_dateline(line)
    if found is None:
        return None
    if found.clock is None:
        return found.day, None
    moment = datetime(found.day.year, found.day.month, found.day.day, *found.clock)
    return found.day, moment.replace(tzinfo=found.zone or UK).astimezone(UTC)


def _publisher(norm: str, lowered: str) -> str | None:
    for keys, pattern in _PUBLISHER_PATTERNS:
        if pattern is _PUBLISHER_PATTERNS[0][1]:
            # each key opens with " - ": one scan for it, then a look at what follows
            positions = [
                at for at in occurrences(lowered, (" - ",)) if lowered.startswith(keys, at)
            ]
            match = _match_lines_holding(pattern, norm, lowered, positions)
        else:
            match = pattern.search(norm) if any(key in lowered for key in keys) else None
        if match:
            return match["name"].strip()
    return None


def _match_lines_holding(
    pattern: re.Pattern[str], norm: str, lowered: str, positions: Sequence[int]
) -> re.Match[str] | None:
    """pattern.search(norm) for a pattern that matches only a whole line holding one of its
    keys in `lowered` (found at the ascending `positions`): tried at the starts of those lines
    alone."""
    tried = set()
    for position in positions:
        line_start = lowered.rfind("\n", 0, position) + 1
        if line_start not in tried:
            tried.add(line_start)
            match = pattern.match(norm, line_start)
            if match:
                return match
    return None


def _mentions_live(lines: str, lowered: str | None = None) -> bool:
    """Whether the lines (`lowered`: them lower-cased, when at hand) say the page is live
    coverage."""
    lowered = folded(lines, lowered)
    return "as it happened" in lowered or bool(_LIVE_WORDS.search(lowered))


def _lines(text: str, chunk: int = 2 * HEADER_LINES) -> Iterator[str]:
    """text.split("\n"), a chunk of lines split at a time as they are read (the header is
    read from the first few of a page's many lines)."""
    while True:
        lines = text.split("\n", chunk)
        if len(lines) <= chunk:
            yield from lines
            return
        yield from lines[:-1]
        text = lines[-1]


def read_header(
    text: str,
    norm: str,
    boilerplate: Sequence[tuple[int, int]],
    lowered: str | None = None,
    marks: PostMarkers | None = None,
) -> Header:
    """Headline, byline, dateline and publisher from the first lines of the page (`lowered`:
    norm lower-cased, and `marks` its post markers, when the caller has them)."""
    lowered = lowered if lowered is not None else lower_same_length(norm)
    marks = marks if marks is not None else PostMarkers.of(lowered)
    headline: str | None = None
    authors: list[str] = []
    dated: tuple[date, datetime | None] | None = None
    dateline: tuple[int, int] | None = None
    body_started = False
    offset, seen = 0, 0
    for line in _lines(norm):
        if authors and dated is not None and (headline or body_started):
            break  # nothing a later line says would change
        line_start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped or _inside(line_start + len(line) - len(line.lstrip()), boilerplate):
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        # what is settled is not looked for again: the byline, the dateline, and the headline
        # (found, or no longer possible once the body has started)
        if (
            not headline
            and not body_started
            and (
                marks.timed_in(line_start, line_start + len(line))
                or (len(stripped) <= SECTION_START_CHARS and _SECTION_START.match(stripped))
            )
        ):
            body_started = True
        if not authors:
            names = _byline_names(stripped)
            if names:
                authors = names
                continue
        stamp = (
            _DATE_STAMP.match(stripped) if dated is None and stripped.startswith("date ") else None
        )
        stamped = read_calendar_date(stamp["day"])[0] if stamp else None
        if stamp and stamped:
            lead = line_start + len(line) - len(line.lstrip())
            dated, dateline = (stamped, None), (lead, lead + stamp.end())
            line, line_start = line[lead - line_start + stamp.end() :], lead + stamp.end()
            stripped = line.strip()
            if not stripped:
                continue
        if dated is not None and (headline or body_started):
            continue
        when = _dateline(stripped)
        if when:
            if dated is None:
                dated = when
                dateline = (line_start, line_start + len(line))
            continue
        if len(stripped.split(maxsplit=1)) == 1 or (
            " - " in stripped and _PUBLISHER_PATTERNS[0][1].match(stripped)
        ):
            continue
        if not headline and not body_started:
            if _looks_like_headline(stripped):
                start = line_start + len(line) - len(line.lstrip())
                headline = text[start : start + len(stripped)]
            body_started = True
    published_date, published_at = dated if dated else (None, None)
    first_lines = "\n".join(norm.split("\n", HEADER_LINES)[:HEADER_LINES])
    first_lines_lowered = lowered[: len(first_lines)]
    return Header(
        headline=headline,
        authors=authors,
        publisher=_publisher(norm, lowered),
        published_date=published_date,
        published_at=published_at,
        mentions_live=_mentions_live(first_lines, first_lines_lowered),
        dateline=dateline,
    )


# --- the whole document ------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedDocument:
    """A page read by rule: header facts, posts, the boilerplate spans and the normalised text."""

    header: Header
    posts: list[Post]
    boilerplate: list[tuple[int, int]]
    format: str
    stamps: list[tuple[int, int]]
    normal: NormalText = field(repr=False)

    @property
    def skip_spans(self) -> list[tuple[int, int]]:
        """Spans no fact may start in: page furniture, the date line and post stamps."""
        dateline = [self.header.dateline] if self.header.dateline else []
        return sorted([*self.boilerplate, *dateline, *self.stamps])


def parse_document(text: str, fallback_date: date | None = None) -> ParsedDocument:
    """Read header, boilerplate and posts; fallback_date dates posts when the page gives none."""
    normal = NormalText.of(text)
    norm, lowered = normal.norm, normal.lowered
    boilerplate = find_boilerplate(norm, lowered)
    marks = PostMarkers.of(lowered)
    header = read_header(text, norm, boilerplate, lowered, marks)
    day = header.published_date or fallback_date
    posts = segment_posts(text, lowered, boilerplate, day, marks)
    timed = [post.posted_at for post in posts if post.posted_at]
    if timed and not header.published_date:
        first = min(timed)
        header = replace(header, published_date=first.astimezone(UK).date(), published_at=first)
    live = bool(timed) or len(posts) >= 2 or header.mentions_live
    return ParsedDocument(
        header,
        posts,
        boilerplate,
        "live_blog" if live else "article",
        find_stamps(norm, lowered, marks),
        normal,
    )
