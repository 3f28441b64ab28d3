"""How a sentence words a strike: its strike words, the days tied to them, who strikes, and
what became of it. The rule in strikes.py reads sentences through these.

- strike_terms / weak_terms: the words that name a strike ("walkout", "collective action"; "action"
  right next to a day in an article about a strike), without "striking doctors" (who, not when).
- tied_mentions: the days and times tied to a strike word (a few words away, directly or through
  the sentence's other days and times; failing that, its clause).
- ignored_dates: days a strike sentence gives to something else (a statement, talks, a
  comparison, a poll's fieldwork, a later day of a strike under way).
- Groups, scope_named, status_of, tense_of: who strikes, what is withdrawn, planned, held or
  suspended.
- strike_heading, only_a_day: rows of a list under a heading that names strikes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache, cached_property

from strikewatch.extract.analysis import Analysis, Sentence, Term
from strikewatch.extract.dates import DateMention
from strikewatch.extract.periods import statement_date_spans
from strikewatch.extract.scanning import matches_opening, openings
from strikewatch.lexicon import lexicon

LINK_WORDS = 6  # a day this many words from a strike (or a day or time tied to it) is its day
CLAUSE_LINK_WORDS = 12  # else a day in the strike's clause, this close, is its day
ROW_CHARS = 120  # a row of a list under a heading is a short line


_SUSPENSION = rf"(?:{lexicon('suspension_words').pattern()}|{lexicon('cancel_words').pattern()})"
_STRIKE_NOUN = r"(?:strikes?|walk-?outs?|stoppages?|action)"
_SUSPENDED = re.compile(
    rf"\b{_STRIKE_NOUN}\b[^.;]{{0,80}}?\b(?:was|were|has\s+been|have\s+been|had\s+been"
    rf"|is\s+being|are\s+being)\s+(?:\w+\s+)?{_SUSPENSION}\b"
    rf"|\b{_SUSPENSION}\s+(?:the\s+|a\s+|its\s+|their\s+|planned\s+)?(?:[\w'’-]+\s+){{0,3}}?"
    rf"{_STRIKE_NOUN}"
    r"|\b(?:was|were|had\s+been)\s+(?:originally\s+)?(?:planned|scheduled|due|set)\s+(?:for|on)\b"
    r"|\bpreviously\s+(?:planned|scheduled|due|set)\s+(?:for|on)\b",
    re.IGNORECASE,
)
# where a match of _SUSPENDED can begin: the first words of its branches
_SUSPENDED_OPENINGS = openings(
    (
        *("strike", "walk", "stoppage", "action"),
        *lexicon("suspension_words").first_words(),
        *lexicon("cancel_words").first_words(),
        *("was", "were", "had", "previously"),
    )
)
_SET_FOR = re.compile(r"\b(?:planned|scheduled|due|set)\s+(?:for|on)\b", re.IGNORECASE)
_SET_OPENINGS = openings(("planned", "scheduled", "due", "set"))
_CONTRAST = re.compile(r"(?i),?\s+(?:but|while|whereas|although)\s+|;\s*")
_CONTRAST_OPENINGS = openings((";", "but", "while", "whereas", "although"))
_POSSESSIVE = re.compile(r"'s(?:\s+[\w-]+){1,3}")
ORDINAL_DAY = re.compile(
    rf"(?i)\b(?P<ordinal>{lexicon('day_ordinals').pattern()})\s+(?:full\s+|school\s+|working\s+)?"
    r"day\b(?!s)(?!\s+of\s+(?:national\s+|general\s+)?(?:mobili[sz]ation|action\b))"
)
# what ends right before the spaces before "day" in every ORDINAL_DAY, lower-cased
_BEFORE_DAY = tuple(
    sorted(
        {phrase.split()[-1].lower() for phrase in lexicon("day_ordinals").labels}
        | {"full", "school", "working"}
    )
)
_START_VERB_BEFORE = re.compile(r"(?i)\b(?:began|begins|begin|started|starts|launched|from)\W+$")
_AS_FIGURES_SHOWED = re.compile(r"(?i)^\W*(?:as|when)\s+(?:[\w-]+\s+){0,3}?$")
ALLUSION = re.compile(
    r"(?i)\b(?:more|further|other|another)\b[^.;]{0,30}?\b(?:set|due|planned|expected)\b"
    r"|\b(?:could|may|might|would)\b"
)
ALLUSION_OPENINGS = openings(
    ("more", "further", "other", "another", "could", "may", "might", "would")
)
# "ahead of the walkout in March": the strike dates something else
TIME_OF_SOMETHING_ELSE = re.compile(
    r"(?i)\b(?:ahead\s+of|before|after|since)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:[\w'’-]+\s+){0,2}$"
)
# "laid off from 3 June because of the strike": the day is the consequence's
_CAUSE_BEFORE = re.compile(
    r"(?i)\b(?:as\s+a\s+result\s+of|because\s+of|due\s+to|owing\s+to|caused\s+by)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}$"
)
_EVENT_BETWEEN = re.compile(r"(?i)\b(?:take\s+place|taken|go\s+ahead|begin|start)\b")
ENDS_AT = re.compile(r"(?i)(?:until|till)\b")
VOTERS = re.compile(r"(?i)voters?")
_PRONOUN_OPENER = re.compile(r"(?:They|These|Those)\b")
FIGURE = re.compile(r"\d")
_NOT_A_STRIKE_ACTION = re.compile(
    r"\b(?:legal|short\s+of|disciplinary|take|takes|took|taking|taken)\s+(?:\w+\s+)?$"
)
_STRIKER_NOUN = re.compile(rf"{lexicon('striker_nouns').pattern()}\b")
_ACTION_WORD = re.compile(rf"\b{lexicon('action_words').pattern()}\b")
_ACTION_OPENINGS = openings(lexicon("action_words").first_words())
_FUTURE_WORD = re.compile(rf"(?<![\w'])(?:{lexicon('future_words').pattern()})\b")
_FUTURE_OPENINGS = openings(lexicon("future_words").first_words())
_PAST_WORD = re.compile(rf"\b{lexicon('past_words').pattern()}\b")
_PAST_OPENINGS = openings(lexicon("past_words").first_words())
_NOT_STRIKE_WORD = re.compile(rf"\b{lexicon('not_strike_days').pattern()}\b")
# "talks on Monday", "compared to 9 March": at most two words before the day
_NOT_STRIKE_DAY_BEFORE = re.compile(
    rf"\b{lexicon('not_strike_days').pattern()}\W+(?:[\w'’-]+\W+){{0,2}}$"
)
_NOT_STRIKE_DAY_OPENINGS = openings(lexicon("not_strike_days").first_words())
# A headline's present simple: "Bakers walk out over pay", "Pilots go on strike at dawn".
HEADLINE_EVENT = re.compile(
    r"(?<!will )(?<!to )(?<!'ll )(?<!would )(?<!could )(?<!may )(?<!might )"
    r"\b(?:go|goes|walk|walks)\s+(?:on\s+strike|out)\b",
    re.IGNORECASE,
)
HEADLINE_OPENINGS = openings(("go", "walk"))  # where a match of HEADLINE_EVENT begins
# "striking porters": a plural noun after "striking" (not "striking across the country")
_PLURAL_NOUN = re.compile(
    r"(?!(?:across|against|as|is|was|this|his|its|us|towards|plus|unless)\b)[a-z]+s\b"
)
_NOT_A_STRIKE_AFTER_STRUCK = re.compile(
    r"\s+(?:a|an|the|down|off|up|by|out|with|at|back|deals?|agreements?)\b", re.IGNORECASE
)
_ASIDE_OPENS = re.compile(r"(?:\s-|\()\s*$")
_OPENING_ADVERBIAL = re.compile(r"(?i)\W*(?:on|from|since|by)?\s*")  # "On 1 February, ..."
_ORGANISATION_BEFORE = re.compile(r"\b(?:of|College|Union|Association)\s+$")
_SPACE_AND_NAME = re.compile(r"\s+(?:[A-Z][\w-]*\s+)?")  # "striking [Unite] porters"


# ------------------------------------------------------------------ words and links


def within_words(doc: Analysis, start: int, end: int, limit: int) -> bool:
    """Whether doc.norm[start:end] holds at most `limit` words (a word: a run of letters,
    digits, apostrophes and hyphens with a letter or digit in it); true when the span is empty
    or reversed. Reads no further than the word after the limit."""
    return end <= start or not _words(limit + 1).match(doc.norm, start, end)


@cache
def _words(count: int) -> re.Pattern[str]:
    """`count` words from where the match starts, each taken whole (no backtracking into it)."""
    return re.compile(rf"(?:\W*+\w[\w'’-]*+){{{count}}}")


def strike_terms(doc: Analysis, found: list[Term]) -> list[Term]:
    """The strike words among the strike_terms phrases found in a sentence, without "striking"
    that says who strikes."""
    terms = []
    norm = doc.norm
    for term in found:
        length = term.end - term.start  # lower() keeps the length of these ASCII words
        if length == 8 and norm[term.start : term.end].lower() == "striking":
            after = _SPACE_AND_NAME.match(norm[term.end : term.end + 40])
            at = term.end + (after.end() if after else 0)
            noun = _PLURAL_NOUN.match(norm, at)
            if _STRIKER_NOUN.match(norm, at) or doc.term_at("staff_groups", at) or noun:
                continue
        elif (
            length == 6
            and norm[term.start : term.end].lower() == "struck"
            and _NOT_A_STRIKE_AFTER_STRUCK.match(norm, term.end)
        ):
            continue  # "struck a deal"
        terms.append(term)
    return terms


def weak_terms(doc: Analysis, sentence: Sentence) -> list[Term]:
    """ "action" named right next to a day, in an article about a strike."""
    if not doc.terms["strike_terms"] or not _ACTION_OPENINGS.search(
        doc.folded, sentence.start, sentence.end
    ):
        return []
    terms = []
    for match in _ACTION_WORD.finditer(doc.norm, sentence.start, sentence.end):
        term = Term(match.start(), match.end(), "action")
        before = doc.norm[max(sentence.start, term.start - 12) : term.start].lower()
        if _NOT_A_STRIKE_ACTION.search(before):
            continue  # "legal action", "take action on Monday"
        near = doc.dates_in(term.end, min(sentence.end, term.end + 100))
        if not near:
            continue
        day = near[0].char_start
        if within_words(doc, term.end, day, 4) or (
            _EVENT_BETWEEN.search(doc.norm, term.end, day) and within_words(doc, term.end, day, 10)
        ):
            terms.append(term)
    return terms


def tied_mentions(
    doc: Analysis,
    sentence: Sentence,
    anchors: Sequence[tuple[int, int]],
    mentions: Sequence[tuple[int, int]],
) -> set[tuple[int, int]]:
    """The mentions tied to an anchor (a strike word): within LINK_WORDS words of it or of a
    mention already tied; failing that, in its clause and at most CLAUSE_LINK_WORDS from it. An
    anchor named as a cause ("as a result of the strike") ties only what follows it."""

    def close(anchor: tuple[int, int], mention: tuple[int, int], limit: int) -> bool:
        """Whether at most `limit` words part the mention from the anchor, after it or (unless
        the anchor ties only what follows it) before it."""
        if mention[0] >= anchor[1]:
            return within_words(doc, anchor[1], mention[0], limit)
        if anchor[0] >= mention[1] and not forward_only(anchor):
            return within_words(doc, mention[1], anchor[0], limit)
        return False

    forward: dict[tuple[int, int], bool] = {}

    def forward_only(anchor: tuple[int, int]) -> bool:
        if anchor not in forward:
            before = doc.norm[max(sentence.start, anchor[0] - 40) : anchor[0]]
            forward[anchor] = anchor in anchors and bool(_CAUSE_BEFORE.search(before))
        return forward[anchor]

    linked: set[tuple[int, int]] = set()
    frontier = list(anchors)
    while frontier:
        source = frontier.pop()
        for mention in mentions:
            if mention not in linked and close(source, mention, LINK_WORDS):
                linked.add(mention)
                frontier.append(mention)
    if linked:
        return linked
    for mention in mentions:
        clause = doc.clause_around(sentence, *mention)
        if (
            _OPENING_ADVERBIAL.fullmatch(doc.norm, clause[0], mention[0])
            and clause[1] == mention[1]
        ):
            clause = doc.clause_around(sentence, mention[0], min(sentence.end, clause[1] + 2))
        elif _ASIDE_OPENS.search(doc.norm, max(sentence.start, clause[0] - 3), clause[0]):
            # an aside between dashes or brackets qualifies the clause before it
            clause = doc.clause_around(sentence, max(sentence.start, clause[0] - 4), clause[1])
        for anchor in anchors:
            if not (clause[0] <= anchor[0] and anchor[1] <= clause[1]):
                continue  # not in the clause
            if close(anchor, mention, CLAUSE_LINK_WORDS):
                linked.add(mention)
    if linked:
        return tied_mentions(doc, sentence, sorted(linked), mentions) | linked
    return linked


# ------------------------------------------------------------------ dates a sentence ignores


def ignored_dates(
    doc: Analysis, sentence: Sentence, dates: list[DateMention]
) -> list[tuple[int, int]]:
    """Dates and times of the sentence (`dates` its dates) that date a statement, a poll's
    fieldwork, talks, a comparison, or a later day of a strike under way."""

    def names_a_strike(start: int, end: int) -> bool:
        return doc.has("strike_terms", start, end)

    begin, stop = sentence.start, sentence.end
    norm = doc.norm
    ignored = statement_date_spans(doc, sentence, linked=names_a_strike)
    later_day = None  # whether the sentence names a later day of a strike; looked up once needed
    # what the sentence holds at all, looked up once for all its dates
    fieldwork_named = doc.has("fieldwork_words", begin, stop)
    verbs_named = doc.has("reporting_verbs", begin, stop)
    for mention in dates:
        date_start, date_end = span = (mention.char_start, mention.char_end)
        possessor = norm.startswith("'s", date_end) and _POSSESSIVE.match(norm, date_end, stop)
        if possessor and not doc.has("strike_terms", *possessor.span()):
            ignored.append(span)  # "March's ballot"
            continue
        window = max(begin, date_start - 40)
        fieldwork = fieldwork_named and doc.last("fieldwork_words", window, date_start)
        if fieldwork and within_words(doc, fieldwork.end, date_start, 2):
            ignored.append(span)
            continue
        if first_match(doc, _NOT_STRIKE_DAY_BEFORE, _NOT_STRIKE_DAY_OPENINGS, window, date_start):
            ignored.append(span)  # "talks on Monday", "compared to 9 March"
            continue
        verb = verbs_named and doc.first("reporting_verbs", date_end, min(stop, date_end + 40))
        if verb and _AS_FIGURES_SHOWED.match(norm[date_end : verb.start]):
            ignored.append(span)  # "became clear on Monday as figures revealed"
            continue
        if FIGURE.search(norm, date_start, date_end):
            continue
        if later_day is None:
            ordinal = ordinal_day(doc, begin, stop)
            later_day = ordinal is not None and ordinal_number(ordinal) > 1
        if later_day and not _START_VERB_BEFORE.search(norm[window:date_start]):
            ignored.append(span)  # "enters its fifth day tomorrow"
    return ignored


def ordinal_day(doc: Analysis, start: int, end: int) -> re.Match[str] | None:
    """The first ORDINAL_DAY ("the second day") in [start, end). The pattern is slow to search
    and most sentences name no such day: it is searched for only where "day" follows spaces
    after an ordinal (or "full", "school", "working"), in any case, as in every ORDINAL_DAY."""
    folded = doc.folded
    at = folded.find("day", start, end)
    while at >= 0:
        before = at
        while before > start and folded[before - 1].isspace():
            before -= 1
        if before < at and folded.endswith(_BEFORE_DAY, start, before):
            return ORDINAL_DAY.search(doc.norm, start, end)
        at = folded.find("day", at + 3, end)
    return None


def ordinal_number(match: re.Match[str]) -> int:
    """The N of an ORDINAL_DAY match ("second day" -> 2)."""
    return int(lexicon("day_ordinals").label(match["ordinal"]) or 1)


def outside_spans(ignored: Sequence[tuple[int, int]], start: int) -> bool:
    """Whether a position lies in none of the spans."""
    return not any(a <= start < b for a, b in ignored)


# ------------------------------------------------------------------ attributes


def scope_named(scopes: list[Term], strike_terms: list[Term]) -> str | None:
    """What an action withdraws or keeps, as the wording of its sentence (its strike_scopes
    and strike_terms phrases) maps onto fixed labels."""
    labels = {term.label for term in scopes}
    for term in strike_terms:
        if term.label in ("all-out", "collective action"):
            labels.add(term.label)
    if not labels:
        return None
    return ", ".join([label for label in _SCOPE_ORDER if label in labels]) or None


_SCOPE_ORDER = tuple(
    dict.fromkeys([*lexicon("strike_scopes").labels.values(), "all-out", "collective action"])
)


def staff_groups(doc: Analysis, start: int, end: int) -> list[Term]:
    """Staff groups named in a span, without those inside an organisation's name ("the Royal
    College of Midwives")."""
    groups = []
    norm = doc.norm
    for term in doc.terms_in("staff_groups", start, end):
        if norm[term.start].isupper() and _ORGANISATION_BEFORE.search(
            norm[max(0, term.start - 12) : term.start]
        ):
            continue
        groups.append(term)
    return groups


def group_label(group: str | None, union: str | None) -> str | None:
    """The staff group; the union's members when only the union is named."""
    if group:
        return group
    return f"{union} members" if union else None


class Groups:
    """Who strikes: the staff group named nearest the strike, else the previous sentence's for
    a sentence opening with "They", else the group the article names most."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        self._in_sentence: dict[int, list[Term]] = {}  # staff groups by sentence start

    @cached_property
    def article_group(self) -> str | None:
        return _most_named(staff_groups(self.doc, 0, len(self.doc.norm)))

    @cached_property
    def article_union(self) -> str | None:
        return _most_named(self.doc.terms["unions"])

    def _groups_in(self, sentence: Sentence) -> list[Term]:
        """staff_groups of a sentence, looked up once for all its actions."""
        groups = self._in_sentence.get(sentence.start)
        if groups is None:
            groups = staff_groups(self.doc, sentence.start, sentence.end)
            self._in_sentence[sentence.start] = groups
        return groups

    def of(self, sentence: Sentence, position: int) -> str | None:
        doc = self.doc
        groups = self._groups_in(sentence)
        if not groups and _PRONOUN_OPENER.match(doc.norm, sentence.start):
            index = doc.sentence_index(sentence)
            if index > 0:
                groups = self._groups_in(doc.sentences[index - 1])
        if groups:
            return min(groups, key=lambda g: abs(g.start - position)).label
        unions = doc.terms_in("unions", sentence.start, sentence.end)
        if unions and not self.article_group:
            return group_label(None, min(unions, key=lambda u: abs(u.start - position)).label)
        return group_label(self.article_group, self.article_union)


def _most_named(terms: list[Term]) -> str | None:
    """The label named most often (the first named of those named as often)."""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term.label] = counts.get(term.label, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def first_match(
    doc: Analysis, pattern: re.Pattern[str], opening: re.Pattern[str], start: int, end: int
) -> re.Match[str] | None:
    """pattern.search(doc.norm, start, end), for a pattern whose every match begins where
    `opening` (see scanning.openings) matches in doc.folded: tried only there."""
    return next(matches_opening(pattern, doc.norm, doc.folded, start, end, opening), None)


def says_suspended(doc: Analysis, start: int, end: int) -> bool:
    """Whether doc.norm[start:end] says a strike was called off, suspended or only set before."""
    if not (
        doc.has("suspension_words", start, end)
        or doc.has("cancel_words", start, end)
        or first_match(doc, _SET_FOR, _SET_OPENINGS, start, end)
    ):
        return False  # the full pattern is slow; most sentences have none of its words
    return first_match(doc, _SUSPENDED, _SUSPENDED_OPENINGS, start, end) is not None


def status_window(doc: Analysis, sentence: Sentence, position: int) -> tuple[int, int]:
    """The part of the sentence, between contrasting conjunctions, holding a position."""
    start, end = sentence.start, sentence.end
    if not _CONTRAST_OPENINGS.search(doc.folded, start, end):
        return start, end
    for cut in _CONTRAST.finditer(doc.norm, sentence.start, sentence.end):
        if cut.end() <= position:
            start = cut.end()
        elif cut.start() >= position:
            end = cut.start()
            break
    return start, end


def status_of(
    doc: Analysis, sentence: Sentence, position: int, starts_at: dt.datetime | None, precision
) -> str:
    """suspended / planned / held / unknown, from the wording and the published date."""
    start, end = status_window(doc, sentence, position)
    if says_suspended(doc, start, end):
        return "suspended"
    published = doc.published
    if published is not None and starts_at is not None:
        if precision == "month":
            this_month = published.replace(day=1)
            if starts_at.date() != this_month:
                return "planned" if starts_at.date() > this_month else "held"
        else:
            return "planned" if starts_at.date() > published else "held"
    return tense_of(doc, start, end)


def tense_of(doc: Analysis, start: int, end: int) -> str:
    """planned / held from the wording's tense; unknown when it shows none."""
    future = first_match(doc, _FUTURE_WORD, _FUTURE_OPENINGS, start, end)
    past = first_match(doc, _PAST_WORD, _PAST_OPENINGS, start, end)
    if future and not past:
        return "planned"
    if past and not future:
        return "held"
    if future and past:
        return "planned" if future.start() < past.start() else "held"
    return "unknown"


# ------------------------------------------------------------------ one sentence


def strike_heading(doc: Analysis, sentence: Sentence) -> tuple[int, int] | None:
    """The heading (a line ending with ":" or "?") naming strikes that the sentence is a row
    under, when the sentence is a short line of a list under it; else None."""
    if sentence.end - sentence.start > ROW_CHARS:
        return None
    line = doc.line_number(sentence.start)
    line_start, line_end = doc.line_span(line)
    row = doc.norm[sentence.start : sentence.end]
    if doc.norm[line_start:line_end].strip(" \t•*·▪–—-") != row:
        return None
    if any(
        doc.has(name, sentence.start, sentence.end) for name in ("ballot_words", "reporting_verbs")
    ) or _NOT_STRIKE_WORD.search(row):
        return None  # a timeline row about a ballot, talks or a statement
    seen = 0
    number = line - 1
    while number >= 0 and seen < 6:
        start, end = doc.line_span(number)
        text = doc.norm[start:end].strip()
        number -= 1
        if not text:
            continue
        seen += 1
        if text.endswith((":", "?")):
            return (start, end) if doc.has("strike_terms", start, end) else None
        if not doc.dates_in(start, end):
            return None
    return None


def only_a_day(doc: Analysis, sentence: Sentence) -> bool:
    """Whether the sentence is nothing but one date ("Wednesday, January 18")."""
    dates = doc.dates_in(sentence.start, sentence.end)
    return (
        len(dates) == 1
        and not doc.norm[sentence.start : dates[0].char_start].strip(" ,")
        and not doc.norm[dates[0].char_end : sentence.end].strip(" ,.")
    )
