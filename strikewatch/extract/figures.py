"""How a figure sits in its sentence: the words that are its own, the noun it counts, its place.

The cancellation and attendance rules read a figure through these:
    segments(doc, sentence, figures) -> Segments(spans, hosts)
        Each figure's own stretch of the sentence: from the end of the figure before it to the
        start of the next one, with an aside after the figure or its noun ("654 - 192
        inpatients and 462 day cases - are in London") left inside it; and the figure whose
        aside holds it, if any.
    noun_after(doc, position, end, heads) -> NounPhrase | None; counts_other_noun(...)
        The noun phrase a figure counts: "48,300 postponed elective and outpatient
        appointments", "75 per cent of the operator's bus services", "2,800 Ferry Operators
        Alliance (FOA) members"; or whether it counts something else ("five routes").
    opens_list_element(doc, start, figure)
        Whether a figure opens the next element of a list ("..., 260 in Finland and 150 in ...").
    own_place(doc, figure, segment, frame_start), place_in(...), source_place(doc)
        The place the text ties a figure to (and whether it is the figure's own or frames the
        statement), a place in a span ("the capital" is the last capital city named before it;
        a health body by its full name), and the place in the name of the organisation whose
        data the article gives ("NHS England update ...").
    top_lines(doc)
        The non-blank lines from the top of the text (a headline, a source line).
    is_cut_off, is_fewer_than, is_comparison (all three: is_set_aside), is_bare_fraction,
    written_in_words
        Figures no fact is made of: cut by the end of an excerpt, "fewer than" (no qualifier
        says it), changes ("35 per cent higher", "400 more than"), fraction words ("over
        half"), and shares said in words (which may echo a figure given in digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.numbers import Quantity, parse_number
from strikewatch.lexicon import lexicon

_NOT_MODIFIERS = lexicon("not_modifiers").pattern()
_MODIFIER = rf"(?:(?!{_NOT_MODIFIERS}\b)[A-Za-z][\w'’.-]*|\([A-Z][A-Za-z-]+\))"
_DETERMINER = (  # "of the", "of ScotRail's", "of the operator's"
    r"(?:(?:the\s+)?[\w.&-]+(?:\s+[A-Z][\w.&-]*){0,3}['’]s?(?=\s)"
    r"|the|all|those|these|its|their|his|her|our)"
)
_FOOTNOTE = r"(?:\s*\[\d{1,2}\])?"
_ASIDE_OPEN = re.compile(r"\s*(?:\(|[-–—]\s)")
_ASIDE_OPEN_AFTER_NOUN = re.compile(r"(?:\s+(?:of\s+)?[A-Za-z][\w'’-]*){1,4}?\s*(?:\(|[-–—]\s)")
_ASIDE_CLOSE = {"(": re.compile(r"\)"), "-": re.compile(r"\s[-–—](?:\s|$)|[.;]")}
_FEWER = re.compile(r"(?:less|fewer)\s+than\b|under\b", re.IGNORECASE)
_COMPARISON_AFTER = re.compile(  # read in the folded text: in any case, without the flag
    r"\s+(?:(?:percentage\s+)?points?\s+)?(?:higher|lower|greater|smaller|up|down|increase"
    r"|increases|rise|rises|drop|drops|fall|falls|decrease|(?:more|fewer|less)\s+than)\b"
)
_SENTENCE_END = re.compile(r"[.!?]")
_UNFINISHED = re.compile(rf"[a-z]+ly|{_NOT_MODIFIERS}", re.IGNORECASE)
_ROW_LABEL = re.compile(r"^.{0,80}?\S\s*[-:]\s*$")
CUT_OFF_CHARS = 25  # a figure this close to the end of an unfinished excerpt lost its words
MAX_MODIFIERS = 6


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class NounPhrase:
    """A noun phrase after a figure: its span (without "of the") and the head noun's span."""

    start: int
    end: int
    head_start: int
    head_end: int


def _phrase_pattern(heads: str, modifiers: int) -> re.Pattern[str]:
    # the head ends the noun phrase: no plural noun follows it ("12 bus operators")
    head = rf"(?:{heads})\b(?!\s+(?!{_NOT_MODIFIERS}\b)[a-z][\w-]*[^s\W]s\b)"
    words = rf"(?:{_MODIFIER}\s+(?:(?:and|or|&)\s+)?){{0,{modifiers}}}"
    return re.compile(
        rf"{_FOOTNOTE}\s*(?:of\s+(?:{_DETERMINER}\s+)?)?"
        rf"(?P<phrase>{words}(?P<head>{head})(?:,?\s+(?:and|or|&)\s+{words}{head})*)",
    )


_PATTERNS: dict[tuple[str, int], re.Pattern[str]] = {}
_OTHER_NOUN_AFTER = re.compile(  # "five routes", "40% of trusts": what the figure counts
    rf"\s+(?:of\s+(?:the\s+|all\s+)?)?(?:(?!{_NOT_MODIFIERS}\b)[a-z][\w-]*\s+){{0,2}}"
    r"(?!(?:were|was|has|is|does|this|its|as|those|these|us|them|whom|which)\b)[a-z][\w-]*[^s\W]s\b"
)
_NEW_LIST_ELEMENT = re.compile(
    r"(?:(?:^|,|;|\(|\s-)\s*(?:(?:and|or|while|with|plus|including|against|along\s+with"
    r"|compared\s+(?:with|to)|of\s+(?:whom|them|which))\s+)?"
    r"|\s(?:and|or|plus|along\s+with|while)\s+)$",
    re.IGNORECASE,
)


def counts_other_noun(doc: Analysis, figure: Quantity, end: int) -> bool:
    """Whether a plural noun follows the figure (up to two words on): it counts that."""
    return bool(_OTHER_NOUN_AFTER.match(doc.norm, figure.char_end, end))


def opens_list_element(doc: Analysis, start: int, figure: Quantity) -> bool:
    """Whether the figure opens an element of a list begun before it in [start, figure):
    "..., 260 in Finland and 150 in Sweden", "along with 4,900 at the weekend"."""
    return bool(_NEW_LIST_ELEMENT.search(doc.norm[start : figure.char_start]))


def noun_after(
    doc: Analysis, position: int, end: int, heads: str, modifiers: int = MAX_MODIFIERS
) -> NounPhrase | None:
    """The noun phrase starting at position (after a figure) whose head matches `heads`."""
    text = doc.norm
    opening = position
    while opening < end and text[opening].isspace():
        opening += 1
    if opening >= end or not (text[opening].isalpha() or text[opening] in "(["):
        return None  # a phrase opens with a word, a bracketed word or a footnote mark
    pattern = _PATTERNS.get((heads, modifiers))
    if pattern is None:
        pattern = _PATTERNS[(heads, modifiers)] = _phrase_pattern(heads, modifiers)
    match = pattern.match(doc.norm, position, end)
    if match is None:
        return None
    return NounPhrase(match.start("phrase"), match.end("phrase"), *match.span("head"))


def aside_after(
    doc: Analysis, position: int, end: int, after_noun: bool = False
) -> tuple[int, int] | None:
    """The bracket or dash aside that opens right at position (or, `after_noun`, after the few
    words of a noun: "2.1 per cent of trains - about one in 50 - were"), as (start, end)
    with its marks."""
    opening = _ASIDE_OPEN.match(doc.norm, position, end)
    if opening is None and after_noun:
        opening = _ASIDE_OPEN_AFTER_NOUN.match(doc.norm, position, end)
    if opening is None:
        return None
    mark = "(" if opening.group().rstrip().endswith("(") else "-"
    closing = _ASIDE_CLOSE[mark].search(doc.norm, opening.end(), end)
    if closing is None:
        return (opening.start(), end) if mark == "-" else None  # a dash aside to the end
    return opening.start(), closing.end()


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Segments:
    """Each figure's own stretch of its sentence (see the module docstring), and the index of
    the figure whose aside holds it ("654 - 192 inpatients ..."), if any."""

    spans: list[tuple[int, int]]
    hosts: list[int | None]


def segments(doc: Analysis, sentence: Sentence, figures: list[Quantity]) -> Segments:
    """The segments of a sentence's figures, each aside after a figure looked for once (only
    where a bracket or a dash opening one lies ahead, and not after the last figure, whose
    aside holds no figure)."""
    if len(figures) == 1:  # the whole sentence
        return Segments([(sentence.start, sentence.end)], [None])
    last_opening = _last_opening(doc.norm, figures[0].char_end, sentence.end)
    asides = [
        aside_after(doc, figure.char_end, sentence.end, after_noun=True)
        if last_opening >= figure.char_end
        else None
        for figure in figures[:-1]
    ]
    asides.append(None)
    if not any(asides):  # each segment runs from the figure before to the next one
        starts = [sentence.start] + [figure.char_end for figure in figures[:-1]]
        ends = [figure.char_start for figure in figures[1:]] + [sentence.end]
        return Segments(list(zip(starts, ends, strict=True)), [None] * len(figures))
    spans, hosts = [], []
    for index, figure in enumerate(figures):
        start = figures[index - 1].char_end if index else sentence.start
        aside = asides[index]
        end = sentence.end
        for later in figures[index + 1 :]:
            if aside and aside[0] <= later.char_start < aside[1]:
                continue
            end = later.char_start
            break
        spans.append((start, end))
        hosts.append(
            next(
                (
                    earlier
                    for earlier in range(index - 1, -1, -1)
                    if (held := asides[earlier]) and held[0] <= figure.char_start < held[1]
                ),
                None,
            )
        )
    return Segments(spans, hosts)


def _last_opening(text: str, start: int, end: int) -> int:
    """Where the last "(", or dash with a space after it, lies in [start, end) (what
    _ASIDE_OPEN_AFTER_NOUN ends with), or -1."""
    last = text.rfind("(", start, end)
    for dash in _DASHES:
        at = text.rfind(dash, start, max(start, end - 1))
        while at > last and not text[at + 1].isspace():  # a hyphen in a word
            at = text.rfind(dash, start, at)
        last = max(last, at)
    return last


_DASHES = ("-", "–", "—")


def is_set_aside(doc: Analysis, figure: Quantity) -> bool:
    """is_cut_off, is_fewer_than or is_comparison, their cheap tests first."""
    norm = doc.norm
    return (
        (len(norm) - figure.char_end < CUT_OFF_CHARS and is_cut_off(doc, figure))
        or (figure.qualifier == "up_to" and bool(_FEWER.match(norm, figure.char_start)))
        or bool(_COMPARISON_AFTER.match(doc.folded, figure.char_end))
    )


def is_fewer_than(doc: Analysis, figure: Quantity) -> bool:
    """ "fewer than 300", "less than a third", "under 40%": a bound no qualifier says."""
    return figure.qualifier == "up_to" and bool(_FEWER.match(doc.norm, figure.char_start))


def is_comparison(doc: Analysis, figure: Quantity) -> bool:
    """A change, not a level: "35 per cent higher than", "at least 400 more than"."""
    return bool(_COMPARISON_AFTER.match(doc.folded, figure.char_end))


def is_cut_off(doc: Analysis, figure: Quantity) -> bool:
    """A figure at the very end of an excerpt that stops mid-phrase: nothing after it, or only
    a word that cannot end one ("41.3 per cent partly", "and 65% of")."""
    if len(doc.norm) - figure.char_end >= CUT_OFF_CHARS:
        return False
    rest = doc.norm[figure.char_end :]
    if _SENTENCE_END.search(rest):
        return False
    words = rest.split()
    if not words:  # the last cell of a row ("Outpatient clinics - 5,020") is complete
        line_start = doc.norm.rfind("\n", 0, figure.char_start) + 1
        return not _ROW_LABEL.search(doc.norm[line_start : figure.char_start])
    return bool(_UNFINISHED.fullmatch(words[-1]))


_PERCENT_SIGN = re.compile(r"%|per\s*-?\s*cent|percent|\bpc\b", re.IGNORECASE)
_FRACTION_WORD = re.compile(rf"\b(?:{lexicon('fractions').pattern()})\b\s*$", re.IGNORECASE)
_FRACTION_LAST_WORDS = tuple({p.split()[-1].lower() for p in lexicon("fractions").phrases})


def written_in_words(doc: Analysis, figure: Quantity) -> bool:
    """Whether a share is said in words, not as a percentage ("more than half", "one in every
    40"), or a count has no digits."""
    text = doc.norm[figure.char_start : figure.char_end]
    if figure.unit == "percent":
        return not _PERCENT_SIGN.search(text)
    return not any(ch.isdigit() for ch in text)


def is_bare_fraction(doc: Analysis, figure: Quantity) -> bool:
    """A share said as a fraction word alone ("over half", "a third"): a characterisation."""
    return (
        figure.unit == "percent"
        # the words _FRACTION_WORD ends with, a cheap test first
        and doc.folded[figure.char_start : figure.char_end].rstrip().endswith(_FRACTION_LAST_WORDS)
        and bool(_FRACTION_WORD.search(doc.norm, figure.char_start, figure.char_end))
    )


_CAPITAL = re.compile(r"\bthe\s+capital(?:['’]s)?\b", re.IGNORECASE)
_HEALTH_BODY = re.compile(  # "Ashford and Wyeside Teaching Hospitals NHS Foundation Trust";
    # each ends with "Trust" or "Board", which place_in looks for first (a cheap test)
    r"\b(?:[A-Z][\w'’&.-]*\s+(?:(?:and|&|of|upon)\s+)?){1,8}?"
    r"(?:NHS\s+(?:Foundation\s+)?Trust|(?:University\s+)?Health\s+Board|Hospitals?\s+Trust)\b"
)
CAPITAL_REACH = 1500  # how far back "the capital" looks for the capital city it means
PLACE_PREPOSITION = re.compile(r"\s*\b(?:at|in|across|throughout|for|from)\s+(?:the\s+)?$")


def place_in(
    doc: Analysis, start: int, end: int, position: int, skip: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The place named in [start, end) nearest to position, outside the `skip` spans: a health
    body by its full name, a place of the lexicon, or "the capital" as the last capital city
    named before it."""
    return _nearest(_places_named(doc, start, end), position, skip)


def _places_named(doc: Analysis, start: int, end: int) -> list[tuple[int, str]]:
    """(where, place) for each place named in [start, end) (see place_in)."""
    norm = doc.norm
    found: list[tuple[int, str]] = []
    bodies = []
    # cheap tests before the slower patterns: the words they need
    if norm.find("Trust", start, end) >= 0 or norm.find("Board", start, end) >= 0:
        for match in _HEALTH_BODY.finditer(norm, start, end):
            bodies.append(match.span())
            found.append((match.start(), doc.text[match.start() : match.end()]))
    terms = doc.terms_in("places", start, end)
    if bodies:
        terms = [t for t in terms if not any(left <= t.start < right for left, right in bodies)]
    found += [(term.start, term.label) for term in terms]
    if doc.folded.find("capital", start, end) >= 0:
        for match in _CAPITAL.finditer(norm, start, end):
            reach = max(0, match.start() - CAPITAL_REACH)
            capital = doc.last("capital_cities", reach, match.start())
            if capital is not None:
                found.append((match.start(), capital.label))
    return found


def _nearest(
    found: list[tuple[int, str]], position: int, skip: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The place of `found` nearest to position, outside the `skip` spans."""
    places = [
        (abs(at - position), place)
        for at, place in found
        if not any(left <= at < right for left, right in skip)
    ]
    return min(places)[1] if places else None


# ", ", ";" or ". ", opening with the one class of the characters it starts with, which the
# engine skips along (where alternatives would each be tried at every character)
_CLAUSE_END = re.compile(r"[,;.](?:(?<=;)|\s)")


def own_place(
    doc: Analysis, figure: Quantity, segment: tuple[int, int], frame_start: int | None = None
) -> tuple[str | None, bool]:
    """The place the text ties this figure to, and whether it is the figure's own.

    A place in the figure's own words after it, up to the next clause ("2,050 appointments at
    <trust>", "654 - ... - are in London", "260 in Finland"), is the figure's own: it is not
    passed on to the figures after it. A place before it, from `frame_start` (the end of the
    last figure taken in its sentence; its segment's start by default), frames the statement and
    is ("Across Wales, nearly 6,500 ...", "NHS England said that 1,425 ...").
    """
    frame_start = segment[0] if frame_start is None else min(frame_start, segment[0])
    after_end = segment[1]
    aside = aside_after(doc, figure.char_end, segment[1])
    for cut in _CLAUSE_END.finditer(doc.norm, figure.char_end, segment[1]):
        if not (aside and aside[0] <= cut.start() < aside[1]):
            after_end = cut.start()
            break
    if doc.norm.rfind("(", segment[0], figure.char_start) > doc.norm.rfind(
        ")", segment[0], figure.char_start
    ):  # "Operator (4.1 per cent)": the figure belongs to the label before its bracket
        after_end = figure.char_end
    place = place_in(doc, figure.char_end, after_end, figure.char_end)
    if place is not None:
        return _listed_with(doc, place, figure.char_end, segment[1]), True
    counted = _counted_places(doc, figure)
    if counted is not None:
        listed = _last_list(doc, counted.start(), int(parse_number(counted["n"]) or 0))
        if listed is not None:
            return listed, True
    named_before = _places_named(doc, frame_start, figure.char_start)
    if not named_before:
        return None, False
    skip = asides_in(doc, frame_start, segment[1])
    return _nearest(named_before, figure.char_start, skip), False


_LIST_JOIN = re.compile(r"\s*(?:,|,?\s+(?:and|or|&))\s+")


def _listed_with(doc: Analysis, place: str, start: int, end: int) -> str:
    """A place with the places listed after it in [start, end), joined as one: "flights at
    Lyon, Nice or Nantes" -> "Lyon, Nice and Nantes"."""
    terms = doc.terms_in("places", start, end)
    first = next((i for i, term in enumerate(terms) if term.label == place), None)
    if first is None:
        return place
    listed = [terms[first]]
    for term in terms[first + 1 :]:
        if not _LIST_JOIN.fullmatch(doc.norm, listed[-1].end, term.start):
            break
        listed.append(term)
    labels = list(dict.fromkeys(term.label for term in listed))
    if len(labels) == 1:
        return place
    return ", ".join(labels[:-1]) + " and " + labels[-1]


_COUNTED_PLACES = re.compile(
    rf"\bthe\s+(?P<n>\d|{lexicon('number_words').pattern()})\s+(?:countries|nations|cities)\b",
    re.IGNORECASE,
)
_COUNTED = ("countries", "nations", "cities")  # one of which _COUNTED_PLACES needs
LIST_REACH = 400  # how far back "the three countries" looks for the list it means
COUNTED_REACH = 120  # how far after a figure, within its clause, "the three countries" may be


def _counted_places(doc: Analysis, figure: Quantity) -> re.Match[str] | None:
    """ "the three countries" after a figure, within its clause and reach."""
    reach = min(len(doc.norm), figure.char_end + COUNTED_REACH)
    words = doc.folded[figure.char_end : reach]
    for word in _COUNTED:  # a cheap test first, in the whole reach
        if word in words:
            break
    else:
        return None
    clause_end = _CLAUSE_END.search(doc.norm, figure.char_end, reach)
    counted_end = clause_end.start() if clause_end else reach
    return _COUNTED_PLACES.search(doc.norm, figure.char_end, counted_end)


def _last_list(doc: Analysis, position: int, count: int) -> str | None:
    """The last list of `count` places named before position ("in Denmark, Sweden and Norway
    ... in the three countries"), joined as one place."""
    runs: list[list] = []
    for term in doc.terms_in("places", max(0, position - LIST_REACH), position):
        if runs and _LIST_JOIN.fullmatch(doc.norm, runs[-1][-1].end, term.start):
            runs[-1].append(term)
        else:
            runs.append([term])
    for run in reversed(runs):
        labels = list(dict.fromkeys(term.label for term in run))
        if len(labels) == count and count >= 2:
            return ", ".join(labels[:-1]) + " and " + labels[-1]
    return None


_ASIDE = re.compile(r"\([^()]*\)|\s-\s[^-]*?\s-\s")


def asides_in(doc: Analysis, start: int, end: int) -> list[tuple[int, int]]:
    """Bracketed and dashed asides in [start, end): "( ... )", " - which ... - "."""
    return [match.span() for match in _ASIDE.finditer(doc.norm, start, end)]


def article_country(doc: Analysis) -> str | None:
    """The one country every place the text names lies in, when the text names that country by
    its name ("... across Canada ... in Toronto") or says its strike is a national one ("the
    fourth day of national walkouts ... in Lyon"), and names none of its parts that
    keep figures of their own (England, Ontario): where a figure the text ties to no place is."""
    terms = doc.terms["places"]
    found = {lexicon("place_countries").label(term.label) for term in terms} - {None}
    parts = lexicon("country_parts")
    if len(found) != 1 or any(parts.label(term.label) for term in terms):
        return None
    country = found.pop()
    names = lexicon("country_names")
    named = any(names.label(doc.norm[term.start : term.end]) == country for term in terms)
    return country if named or doc.terms["national_scope"] else None


SOURCE_LINES = 2  # lines at the top where an organisation named for a place says whose data it is
_SOURCE_PLACE_BEFORE = re.compile(r"\b(?:NHS|Health|Public\s+Health|Transport\s+for)\s+$")


def source_place(doc: Analysis) -> str | None:
    """The place in the name of the organisation whose data the article gives, when its top
    lines name one ("NHS Wales bulletin on ...", "figures ... on the Public Health Scotland
    website")."""
    lines = [span for _, span in zip(range(SOURCE_LINES), top_lines(doc), strict=False)]
    for start, end in lines:
        for term in doc.terms_in("places", start, end):
            if _SOURCE_PLACE_BEFORE.search(doc.norm, max(0, term.start - 20), term.start):
                return term.label
    return None


def top_lines(doc: Analysis) -> Iterator[tuple[int, int]]:
    """Non-blank lines from the top, as doc.paragraphs() gives them, found line by line (where
    that splits the whole text first)."""
    norm = doc.norm
    for start in doc.line_starts:
        end = norm.find("\n", start)
        if end < 0:
            end = len(norm)
        if not norm[start:end].isspace() and start < end:
            yield start, end
