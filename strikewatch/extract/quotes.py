"""Quotations with their speakers: "Quote Message" blocks and quoted speech in prose.

A quotation is the words between quote marks (or after "Quote Message"), kept verbatim as the
evidence. Quoted runs of fewer than MIN_QUOTE_WORDS words are scare-quotes or catchphrases
('bleak day', "very fair") and are not quotations. The speaker comes from a reporting clause
("X said:", "..., he told the BBC"), from an attribution line under a block ("Name, Role,
Organisation"), or from the previous quotation when a paragraph continues it. Pronouns resolve to
the last person named in the preceding lines; when none is named the speaker is null.

People are found once per document (`_people`): runs of capitalised words that are not places,
organisations or sentence openers, each with the capitalised title before it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.scanning import finditer_at
from strikewatch.lexicon import lexicon

MIN_QUOTE_WORDS = 4
CONTEXT_LINES = 3  # how many preceding lines a pronoun or role may be resolved from
NAME_WINDOW = 6000  # how far back (characters) "Mr Hunt" is matched to a full name
ROLE_WINDOW = 4000  # how far back a role ("the union's leader") is matched to a named person

_SPEECH_VERB = lexicon("reporting_verbs").pattern()
_TITLES = rf"(?:{lexicon('titles').pattern()})\.?"
_VERB = re.compile(rf"\b{_SPEECH_VERB}\b")
_NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
PERSON_NAME = re.compile(
    rf"(?:{_TITLES} )?{_NAME_WORD}(?: (?:[A-Z]\. )?{_NAME_WORD}){{0,2}}(?: MP)?"
)
_NAME_TOKEN = rf"(?<![A-Z])(?<![a-z]{{2}}['’])(?:{_TITLES}|{_NAME_WORD}|[A-Z]\.)(?![A-Za-z])"
_CAPITALISED_RUN = re.compile(rf"{_NAME_TOKEN}(?: {_NAME_TOKEN})*")
_CAPITALS = re.compile("[A-Z]+")
_TITLE = re.compile(_TITLES)
_POSSESSIVE_S = re.compile(r"['’]s\b")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|outside|near|of|to|for)\s$", re.I)
ROLE_WORDS = set(lexicon("role_words").labels)
NOT_NAME_WORDS = (
    set(lexicon("not_name_words").labels)
    | ROLE_WORDS
    | set(lexicon("weekdays").labels)
    | {place for place in lexicon("places").labels if " " not in place}
    | set(lexicon("unions").labels)
    | set(lexicon("organisation_words").labels)
)
PRONOUNS = set(lexicon("pronouns").labels)

_QUOTE_BLOCK_MARK = "Quote Message"
_AFTER_QUOTE = re.compile(
    rf"^[,.!?]?\s*(?:{_SPEECH_VERB}\s+(?P<subject_after>[^,.;:\n]+)|"
    rf"(?P<subject_before>[^,.;:\n\"“”]+?)\s+{_SPEECH_VERB})\b"
)
_SUBJECT_END = re.compile(rf"\s+{_SPEECH_VERB}\b|\s+(?:to|on|in|at)\s")
_LEADING_FILLER = re.compile(
    r"^(?:(?:But|And|So|Yet|However|Meanwhile|Earlier|Later|Instead|Also|Now),?\s+)+"
)
_TRAILING_ADVERB = re.compile(r"\s+(?:also|later|earlier|then|again|previously|today|yesterday)$")
_OPENER = re.compile(
    r"^(?:(?:in|on|at|during|after|before|from|asked|when)\b|\w+ing\b)[^,]*,\s*", re.IGNORECASE
)
_ORG_IN_ROLE = re.compile(
    r"\b(?:at|of|for|from)\s+(?:the\s+)?(?P<org>(?:[A-Z][\w&’'-]*\s*)+(?:(?:of|and|for)\s+"
    r"(?:the\s+)?(?:[A-Z][\w&’'-]*\s*)+)*)"
)
_TRAILING_NAME = re.compile(rf"(?:{_TITLES}\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}$")


@dataclass(frozen=True, kw_only=True)
class Quote(Fact):
    """A quotation and who said it."""

    speaker: str | None
    speaker_role: str | None
    organisation: str | None
    quote: str


@dataclass
class Speaker:
    """Who said a quotation, as far as the text tells."""

    name: str | None = None
    role: str | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class Person:
    """A person named in the text, with the capitalised title before the name, if any."""

    start: int
    end: int
    name: str
    title: str


def _names_in(text: str, offset: int = 0) -> list[Person]:
    """People named in a text, in order.

    "Health Secretary Jeremy Hunt" gives Person(name "Jeremy Hunt", title "Health Secretary").
    """
    found = []
    # A run starts at a capital letter that follows no other: where a run of capitals starts.
    starts = (capitals.start() for capitals in _CAPITALS.finditer(text))
    for run in finditer_at(_CAPITALISED_RUN, text, starts):
        if _POSSESSIVE_S.match(text[run.end() : run.end() + 2]):
            continue  # "David Cameron's spokeswoman" is not David Cameron
        if _PLACE_PREPOSITION_BEFORE.search(text[max(0, run.start() - 9) : run.start()]):
            continue  # a place: "outside Tooting Broadway"
        words = run.group(0).split(" ")
        lead = 0
        while lead < len(words) and words[lead] in NOT_NAME_WORDS:
            lead += 1
        name_words = words[lead:]
        named = [w for w in name_words if not _TITLE.fullmatch(w)]
        if named and len(name_words) <= 4 and not any(w in NOT_NAME_WORDS for w in named):
            found.append(
                Person(
                    offset + run.start(),
                    offset + run.end(),
                    " ".join(name_words),
                    " ".join(words[:lead]),
                )
            )
    return found


def _is_person_name(phrase: str) -> bool:
    """Whether a phrase is entirely a person's name ("Dr Jo Bloggs", "Martin")."""
    phrase = phrase.strip()
    if not PERSON_NAME.fullmatch(phrase):
        return False
    names = _names_in(phrase)
    return len(names) == 1 and (names[0].name, names[0].title) == (phrase, "")


def _strip_title(name: str) -> str:
    """A name without a leading honorific or trailing "MP"."""
    name = re.sub(rf"^{_TITLES}\s+", "", name.strip())
    return re.sub(r"\s+MP$", "", name)


def _is_organisation(phrase: str) -> bool:
    """Whether a phrase is only capitalised words and connectors ("the Royal College of X")."""
    words = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE).split()
    connectors = {"of", "and", "for", "the", "&", "in", "on", "at"}
    return (
        bool(words)
        and words[0][0].isupper()
        and all(w[0].isupper() or w[0].isdigit() or w.strip(",") in connectors for w in words)
    )


def _organisation_of(role: str) -> tuple[str, str | None]:
    """Split a role phrase into role and the organisation it names, if any."""
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip(" ,"), flags=re.IGNORECASE)
    possessive = re.match(r"^(?P<owner>[^,]+?)(?:'s|’s|s'|s’)\s+(?P<rest>.+)$", role)
    if possessive:
        owner = possessive.group("owner")
        if _is_person_name(owner):
            return role, None
        if _is_organisation(owner):
            return possessive.group("rest"), owner
    org_match = _ORG_IN_ROLE.search(role)
    if org_match:
        return role[: org_match.start()].strip(" ,") or role, org_match.group("org").strip()
    prefix = re.match(r"^(?P<org>[A-Z]{2,}|Labour|Conservative)\s+(?=[a-z])", role)
    if prefix:
        return role[prefix.end() :].strip(), prefix.group("org")
    return role, None


class _Reader:
    """The people of one document, and who they are, while its quotations are read in order."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        self.people = _names_in(doc.text)
        self.starts = [person.start for person in self.people]
        self.known: dict[str, Speaker] = {}

    def people_between(self, start: int, end: int) -> list[Person]:
        """People named wholly inside [start, end)."""
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return [p for p in self.people[low:high] if p.end <= end]

    def full_name(self, name: str, before: int) -> str:
        """Expand "Mr Hunt" to the last full name with that surname mentioned before a point."""
        bare = _strip_title(name)
        if " " in bare:
            return bare
        for person in reversed(self.people_between(max(0, before - NAME_WINDOW), before)):
            if _strip_title(person.name).endswith(" " + bare):
                return _strip_title(person.name)
        return bare

    def resolve_pronoun(self, before: int) -> Speaker:
        """Speaker a pronoun refers to: the last person named in the preceding lines."""
        doc = self.doc
        line = doc.line_number(before)
        non_blank = 0
        top = line
        while top > 0 and non_blank <= CONTEXT_LINES:
            start, end = doc.line_span(top)
            non_blank += bool(doc.norm[start:end].strip())
            if non_blank > CONTEXT_LINES:
                break
            top -= 1
        names = [p.name for p in self.people_between(doc.line_starts[top], before) if " " in p.name]
        if not names:
            return Speaker()
        full = self.full_name(names[-1], before)
        return self.known.get(full, Speaker(full))

    def introduced_as(self, role: str, before: int) -> str | None:
        """The person a role introduced earlier ("the union's leader, Jo Bloggs")."""
        text = self.doc.text
        pattern = re.compile(rf"\b{re.escape(role)},?\s+$", re.IGNORECASE)
        for person in reversed(self.people_between(max(0, before - ROLE_WINDOW), before)):
            lead = text[max(0, person.start - len(role) - 3) : person.start]
            if pattern.search(lead) and _is_person_name(person.name):
                return self.full_name(person.name, before)
        return None

    def speaker_from_subject(self, subject: str, before: int) -> Speaker:
        """Speaker named by the subject of a reporting clause that ends at position `before`."""
        subject = _clean_subject(subject)
        if not subject:
            return Speaker()
        if subject.lower() in PRONOUNS:
            return self.resolve_pronoun(before)
        parts = [part.strip() for part in subject.split(",") if part.strip()]
        if parts[-1].lower() in PRONOUNS:
            return self.resolve_pronoun(before)
        for index, part in enumerate(parts):
            name = self.full_name(part, before) if _is_person_name(part) else ""
            if name and (len(parts) > 1 or " " in name):
                others = ", ".join(parts[:index] + parts[index + 1 :])
                if not others:
                    return self.known.get(name, Speaker(name))
                role, org = _organisation_of(others)
                return Speaker(name, role, org)
        trailing = _trailing_person(subject)
        if trailing is not None:
            prefix, written = subject[:trailing], subject[trailing:]
            name = self.full_name(written, before)
            if not prefix.strip() or not prefix[-1].isspace():  # "Radio 4Jo Bloggs": page debris
                return self.known.get(name, Speaker(name))
            role, org = _organisation_of(prefix)
            return Speaker(name, role or None, org)
        if _is_organisation(subject) and subject.split()[-1] not in ROLE_WORDS:
            organisation = re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.IGNORECASE)
            return Speaker(organisation, None, organisation)
        role, org = _organisation_of(
            re.sub(r"^(?:our|his|her|their|its)\s+", "", subject, flags=re.I)
        )
        named = self.introduced_as(role, before) if role else None
        return Speaker(named, role, org)


def _trailing_person(subject: str) -> int | None:
    """Where the person's name that ends a subject begins ("union leader Jo Bloggs")."""
    match = _TRAILING_NAME.search(subject)
    if match is None:
        return None
    later_words = [
        m.start() for m in re.finditer(r"(?<=\s)\S", subject) if m.start() > match.start()
    ]
    for start in [match.start(), *later_words[:-1]]:
        candidate = subject[start:]
        if re.fullmatch(rf"(?:{_TITLES}\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD})+", candidate) and (
            _is_person_name(candidate)
        ):
            return start
    return None


def _clean_subject(subject: str) -> str:
    """A reporting clause's subject without leading connectives, adverbials and adverbs."""
    subject = _LEADING_FILLER.sub("", subject.strip(" ,:;-–•*")).strip()
    subject = _TRAILING_ADVERB.sub("", subject)
    opener = _OPENER.match(subject)
    if opener:
        subject = subject[opener.end() :]
    return subject


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding whitespace, stray quote marks and a trailing comma."""
    while start < end and text[start] in ' \t"“”‘’':
        start += 1
    while end > start and text[end - 1] in ' \t"“”‘’,':
        end -= 1
    return start, end


def _quote(text: str, start: int, end: int, speaker: Speaker) -> Quote:
    return Quote(
        char_start=start,
        char_end=end,
        speaker=speaker.name,
        speaker_role=speaker.role,
        organisation=speaker.organisation,
        quote=text[start:end],
    )


def _attribution_line(line: str) -> Speaker | None:
    """Speaker from an attribution line under a quote block ("Name, Role, Organisation")."""
    parts = [part.strip() for part in line.split(",")]
    if len(line) > 150 or len(parts) > 4 or line.rstrip().endswith((".", ":")):
        return None
    if not _is_person_name(parts[0]):
        return None
    role = parts[1] if len(parts) > 1 else None
    org = ", ".join(parts[2:]) if len(parts) > 2 else None
    return Speaker(_strip_title(parts[0]), role, org)


def _block_quotes(doc: Analysis, reader: _Reader) -> list[Quote]:
    """Quotes from runs of "Quote Message" lines, attributed by the line after or before."""
    text = doc.text
    lines = [
        number
        for number, start in enumerate(doc.line_starts)
        if text.startswith(_QUOTE_BLOCK_MARK, start)
    ]
    quotes: list[Quote] = []
    run: list[int] = []
    for index, number in enumerate(lines):
        run.append(number)
        if index + 1 < len(lines) and lines[index + 1] == number + 1:
            continue
        after = number + 1
        line_after = text[slice(*doc.line_span(after))] if after < len(doc.line_starts) else ""
        speaker = _attribution_line(line_after)
        if speaker is None:
            speaker = Speaker()
            if run[0] > 0:
                intro_start, intro_end = doc.line_span(run[0] - 1)
                intro = text[intro_start:intro_end].strip()
                verb = _VERB.search(intro)
                if intro.endswith(":") and verb:
                    speaker = reader.speaker_from_subject(intro[: verb.start()], intro_start)
        if speaker.name:
            reader.known[speaker.name] = speaker
        for line in run:
            line_start, line_end = doc.line_span(line)
            start, end = _trimmed(text, line_start + len(_QUOTE_BLOCK_MARK), line_end)
            if end > start and not doc.skip.overlaps(start, end):
                quotes.append(_quote(text, start, end, speaker))
        run = []
    return quotes


def _speaker_for_inline(
    doc: Analysis, reader: _Reader, mark_start: int, mark_end: int, body_end: int
) -> Speaker | None:
    """Speaker from the reporting clause before or after a quotation; None when there is none."""
    text = doc.text
    sentence = doc.sentence_at(mark_start)
    line_start = doc.line_starts[doc.line_number(mark_start)]
    clause_start = max(sentence.start if sentence else line_start, line_start)
    clause = text[clause_start:mark_start]
    for verb in _VERB.finditer(clause):
        if _clean_subject(clause[: verb.start()]):
            return reader.speaker_from_subject(clause[: verb.start()], clause_start)
    after = text[mark_end : mark_end + 200].split("\n", 1)[0]
    if body_end < mark_end and after and (match := _AFTER_QUOTE.match(after)):
        subject = match.group("subject_after") or match.group("subject_before")
        subject = _SUBJECT_END.split(subject)[0]
        return reader.speaker_from_subject(subject, mark_start)
    return None


def _inline_quotes(doc: Analysis, reader: _Reader) -> list[Quote]:
    """Quotes in prose between quote marks, with the speaker of their reporting clause."""
    text = doc.text
    quotes: list[Quote] = []
    previous: tuple[int, Speaker] | None = None  # (line number, speaker) of the last quote
    for quotation in doc.quotations:
        line_start = doc.line_starts[doc.line_number(quotation.mark_start)]
        if text.startswith(_QUOTE_BLOCK_MARK, line_start):
            continue
        start, end = _trimmed(text, quotation.start, quotation.end)
        if len(text[start:end].split()) < MIN_QUOTE_WORDS or doc.skip.overlaps(start, end):
            continue
        line_number = doc.line_number(quotation.mark_start)
        speaker = _speaker_for_inline(
            doc, reader, quotation.mark_start, quotation.mark_end, quotation.end
        )
        opens_paragraph = not text[line_start : quotation.mark_start].strip()
        if speaker is None and previous is not None:
            same_paragraph = line_number == previous[0]
            next_paragraph = opens_paragraph and line_number - previous[0] <= 2  # blank line or not
            if same_paragraph or next_paragraph:
                speaker = previous[1]
        speaker = speaker or Speaker()
        if speaker.name and (speaker.role or speaker.organisation):
            reader.known[speaker.name] = speaker
        previous = (line_number, speaker)
        quotes.append(_quote(text, start, end, speaker))
    return quotes


def extract_quotes(doc: Analysis, found: Found) -> list[Quote]:
    """Quotations in a text with speaker, role, organisation and offsets, in text order."""
    del found  # quotes read no other fact type
    reader = _Reader(doc)
    quotes = _block_quotes(doc, reader)
    reader.known.clear()  # block attributions and prose attributions are read apart
    quotes += _inline_quotes(doc, reader)
    titles = {
        _strip_title(person.name): person.title
        for person in reader.people
        if person.title
        and person.title.split()[-1] in ROLE_WORDS
        and " " in _strip_title(person.name)
    }
    quotes = [
        quote
        if not quote.speaker or quote.speaker_role
        else Quote(**{**quote.__dict__, "speaker_role": titles.get(quote.speaker)})
        for quote in quotes
    ]
    return sorted(quotes, key=lambda quote: quote.char_start)


FACT_TYPE = FactType(
    name="quote",
    table="quotes",
    record=Quote,
    extract=extract_quotes,
    colour="#ff7f0e",
)
