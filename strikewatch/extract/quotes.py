"""Quotations with their speakers: BBC "Quote Message" blocks and quoted speech in prose.

A quotation is the words between quote marks (or after "Quote Message"), kept verbatim as the
evidence. Quoted runs of fewer than MIN_QUOTE_WORDS words are scare-quotes or catchphrases
('bleak day', "very fair") and are not quotations. The speaker comes from a reporting clause
("X said:", "..., he told the BBC"), from a BBC attribution line under a block ("Name, Role,
Organisation"), or from the previous quotation when a paragraph continues it. Pronouns resolve to
the last person named in the preceding lines; when none is named the speaker is null.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from strikewatch.extract.scanning import finditer_at
from strikewatch.extract.spans import Lines, Spans

MIN_QUOTE_WORDS = 4
CONTEXT_CHARS = 4000  # how far back a reporting clause's pronoun may look for its person
CONTEXT_LINES = 3  # how many preceding lines a pronoun or role may be resolved from
NAME_WINDOW = 6000  # how far back (characters) "Mr Hunt" is matched to a full name

SPEECH_VERB = (
    r"(?:said|says|say|saying|told|tells|telling|added|adds|adding|tweeted|tweets|wrote|writes"
    r"|warned|warns|explained|explains|insisted|insists|stressed|continued|claimed|claims"
    r"|argued|argues|asked|asks|replied|replies|commented|posted|stated|admitted|declared"
    r"|urged|urges)"
)
_VERB = re.compile(rf"\b{SPEECH_VERB}\b", re.IGNORECASE)
TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Lord|Lady|Baroness|Rev|Cllr)\.?"
_NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
PERSON_NAME = re.compile(
    rf"(?:{TITLES} )?{_NAME_WORD}(?: (?:[A-Z]\. )?{_NAME_WORD}){{0,2}}(?: MP)?"
)
_NAME_TOKEN = rf"(?<![A-Z])(?<![a-z]{{2}}['’])(?:{TITLES}|{_NAME_WORD}|[A-Z]\.)(?![A-Za-z])"
_CAPITALISED_RUN = re.compile(rf"{_NAME_TOKEN}(?: {_NAME_TOKEN})*")
_CAPITALS = re.compile("[A-Z]+")
_TITLE = re.compile(TITLES)
_POSSESSIVE_S = re.compile(r"['’]s\b")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|outside|near|of|to|for)\s$", re.I)
ROLE_WORDS = {
    "Secretary", "Minister", "Chancellor", "Leader", "President", "Chair", "Chairman",
    "Chairwoman", "Director", "Officer", "Executive", "Editor", "Correspondent", "Spokesman",
    "Spokeswoman", "Mayor", "Governor", "Commissioner",
}  # fmt: skip
# Capitalised words that start organisations, places and roles rather than people's names.
NOT_NAME_WORDS = {
    "The", "A", "An", "This", "That", "These", "It", "He", "She", "They", "We", "I", "But", "And",
    "Health", "Secretary", "Junior", "Senior", "Doctors", "Doctor", "Hospital", "Hospitals",
    "Trust", "Foundation", "Royal", "College", "British", "Medical", "Association", "Union",
    "Government", "Department", "Prime", "Minister", "Labour", "Conservative", "Today",
    "Programme", "Radio", "News", "Press", "Chief", "Executive", "General", "Council", "England",
    "Scotland", "Wales", "London", "National", "Service", "Street", "House", "Commons",
    "University", "Sky", "Channel", "Breakfast", "Twitter", "Meanwhile", "However", "Asked",
    "Speaking", "Responding", "Earlier", "Later", "Yesterday", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", "Public", "Care", "Unite", "Unison", "Ministers",
    "In", "On", "At", "Of", "For", "From", "Quote", "Message", "Allow", "View", "Skip", "Then",
    "Outside", "Inside", "Near", "Here", "There", "If", "As", "When", "While", "Christmas", "Day",
    "New", "Year", "Eve",
} | ROLE_WORDS  # fmt: skip
PRONOUNS = {"he", "she", "they", "i", "we"}

_QUOTE_BLOCK = re.compile(r"^Quote Message(?P<body>.*)$", re.MULTILINE)
_INLINE_QUOTE = re.compile(
    r'(?<![\w"])"(?P<straight>[^"\n]+)(?:"|$)|“(?P<curly>[^”\n]+)(?:”|$)'
    r"|(?<![\w‘])‘(?P<single>[^\n]+?)(?:’(?![a-z])|$)",
    re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘A-Z]|$)")
_AFTER_QUOTE = re.compile(
    rf"^[,.!?]?\s*(?:{SPEECH_VERB}\s+(?P<subject_after>[^,.;:\n]+)|"
    rf"(?P<subject_before>[^,.;:\n\"“”]+?)\s+{SPEECH_VERB})\b",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(
    r"^(?:(?:But|And|So|Yet|However|Meanwhile|Earlier|Later|Instead|Also|Now),?\s+)+"
)
_ORG_IN_ROLE = re.compile(
    r"\b(?:at|of|for|from)\s+(?:the\s+)?(?P<org>(?:[A-Z][\w&’'-]*\s*)+(?:(?:of|and|for)\s+"
    r"(?:the\s+)?(?:[A-Z][\w&’'-]*\s*)+)*)"
)
_ORG_PREFIX = re.compile(r"^(?:the\s+)?(?P<org>[A-Z][A-Za-z&]*?)(?:'s|’s)?\s+(?=[a-z])")


@dataclass
class Speaker:
    """Who said a quotation, as far as the text tells."""

    name: str | None = None
    role: str | None = None
    organisation: str | None = None


def _names_in(text: str) -> list[tuple[str, str]]:
    """People named in a text, in order, each with the capitalised title before it, if any.

    "Health Secretary Jeremy Hunt" gives ("Jeremy Hunt", "Health Secretary").
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
            found.append((" ".join(name_words), " ".join(words[:lead])))
    return found


def _is_person_name(phrase: str) -> bool:
    """Whether a phrase is entirely a person's name ("Dr Jo Bloggs", "Martin")."""
    phrase = phrase.strip()
    return bool(PERSON_NAME.fullmatch(phrase)) and _names_in(phrase) == [(phrase, "")]


def _strip_title(name: str) -> str:
    """A name without a leading honorific or trailing "MP"."""
    name = re.sub(rf"^{TITLES}\s+", "", name.strip())
    return re.sub(r"\s+MP$", "", name)


def _full_name(name: str, text_before: str) -> str:
    """Expand "Mr Hunt" to the last full name with that surname mentioned earlier."""
    bare = _strip_title(name)
    if " " in bare:
        return bare
    for candidate, _ in reversed(_names_in(text_before[-NAME_WINDOW:])):
        if _strip_title(candidate).endswith(" " + bare):
            return _strip_title(candidate)
    return bare


def _last_person(context: str) -> str | None:
    """The last person named in some text with at least two words ("Mr Hunt", "Jo Bloggs")."""
    names = [name for name, _ in _names_in(context) if " " in name]
    return names[-1] if names else None


def _titles_of_people(text: str) -> dict[str, str]:
    """Capitalised titles the text puts before people's names ("Health Secretary")."""
    return {
        _strip_title(name): title
        for name, title in _names_in(text)
        if title and title.split()[-1] in ROLE_WORDS and " " in _strip_title(name)
    }


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


def _resolve_pronoun(text_before: str, known: dict[str, Speaker]) -> Speaker:
    """Speaker a pronoun refers to: the last person named in the preceding lines."""
    lines = [line for line in text_before.split("\n") if line.strip()]
    name = _last_person("\n".join(lines[-CONTEXT_LINES - 1 :]))
    if name is None:
        return Speaker()
    full = _full_name(name, text_before)
    return known.get(full, Speaker(full))


def _clean_subject(subject: str) -> str:
    """A reporting clause's subject without leading connectives, adverbials and adverbs."""
    subject = _LEADING_FILLER.sub("", subject.strip(" ,:;-–•*")).strip()
    subject = re.sub(
        r"\s+(?:also|later|earlier|then|again|previously|today|yesterday)$", "", subject
    )
    opener = re.match(
        r"^(?:(?:in|on|at|during|after|before|from|asked|when)\b|\w+ing\b)[^,]*,\s*",
        subject,
        re.IGNORECASE,
    )
    if opener:
        subject = subject[opener.end() :]
    return subject


def _speaker_from_subject(subject: str, text_before: str, known: dict[str, Speaker]) -> Speaker:
    """Speaker named by the subject of a reporting clause."""
    subject = _clean_subject(subject)
    if not subject:
        return Speaker()
    if subject.lower() in PRONOUNS:
        return _resolve_pronoun(text_before, known)
    parts = [part.strip() for part in subject.split(",") if part.strip()]
    if parts[-1].lower() in PRONOUNS:
        return _resolve_pronoun(text_before, known)
    for index, part in enumerate(parts):
        name = _full_name(part, text_before) if _is_person_name(part) else ""
        if name and (len(parts) > 1 or " " in name):
            others = ", ".join(parts[:index] + parts[index + 1 :])
            if not others:
                return known.get(name, Speaker(name))
            role, org = _organisation_of(others)
            return Speaker(name, role, org)
    trailing = re.search(rf"(?:{TITLES}\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}$", subject)
    while trailing and not _is_person_name(trailing.group(0)):
        trailing = re.search(
            rf"(?<=\s){_NAME_WORD}(?:\s+{_NAME_WORD})+$", subject[trailing.start() + 1 :]
        )
    if trailing:
        name_start = subject.rfind(trailing.group(0))
        name = _full_name(trailing.group(0), text_before)
        prefix = subject[:name_start]
        if not prefix.strip() or not prefix[-1].isspace():  # "BBC Radio 4Jo Bloggs": page debris
            return known.get(name, Speaker(name))
        role, org = _organisation_of(prefix)
        return Speaker(name, role or None, org)
    if _is_organisation(subject) and subject.split()[-1] not in ROLE_WORDS:
        organisation = re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.IGNORECASE)
        return Speaker(organisation, None, organisation)
    role, org = _organisation_of(re.sub(r"^(?:our|his|her|their|its)\s+", "", subject, flags=re.I))
    introduced = re.findall(rf"\b{re.escape(role)},?\s+({PERSON_NAME.pattern})", text_before, re.I)
    named = [n for n in introduced if _is_person_name(n)]
    if named:
        return Speaker(_full_name(named[-1], text_before), role, org)
    return Speaker(None, role, org)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding whitespace, stray quote marks and a trailing comma."""
    while start < end and text[start] in ' \t"“”‘’':
        start += 1
    while end > start and text[end - 1] in ' \t"“”‘’,':
        end -= 1
    return start, end


def _fact(text: str, start: int, end: int, speaker: Speaker) -> dict:
    """A quote row."""
    return {
        "speaker": speaker.name,
        "speaker_role": speaker.role,
        "organisation": speaker.organisation,
        "quote": text[start:end],
        "char_start": start,
        "char_end": end,
    }


def _attribution_line(line: str) -> Speaker | None:
    """Speaker from a BBC attribution line under a quote block ("Name, Role, Organisation")."""
    parts = [part.strip() for part in line.split(",")]
    if len(line) > 150 or len(parts) > 4 or line.rstrip().endswith((".", ":")):
        return None
    if not _is_person_name(parts[0]):
        return None
    role = parts[1] if len(parts) > 1 else None
    org = ", ".join(parts[2:]) if len(parts) > 2 else None
    return Speaker(_strip_title(parts[0]), role, org)


def _block_quotes(text: str, skip: Spans) -> list[dict]:
    """Quotes from runs of "Quote Message" lines, attributed by the line after or before."""
    facts: list[dict] = []
    known: dict[str, Speaker] = {}
    blocks = list(_QUOTE_BLOCK.finditer(text))
    run: list[re.Match[str]] = []
    for index, block in enumerate(blocks):
        run.append(block)
        next_block = blocks[index + 1] if index + 1 < len(blocks) else None
        if next_block is not None and next_block.start() == block.end() + 1:
            continue
        line_end = text.find("\n", block.end() + 1)
        line_after = text[block.end() + 1 : line_end if line_end >= 0 else len(text)]
        speaker = _attribution_line(line_after)
        if speaker is None:
            line_start = text.rfind("\n", 0, max(run[0].start() - 1, 0)) + 1
            intro = text[line_start : run[0].start()].strip()
            verb = list(_VERB.finditer(intro))
            speaker = Speaker()
            if intro.endswith(":") and verb:
                before = text[:line_start]
                speaker = _speaker_from_subject(intro[: verb[0].start()], before, known)
        if speaker.name:
            known[speaker.name] = speaker
        for quote in run:
            start, end = _trimmed(text, quote.start("body"), quote.end("body"))
            if end > start and not skip.overlaps(start, end):
                facts.append(_fact(text, start, end, speaker))
        run = []
    return facts


def _speaker_for_inline(
    text: str, quote: re.Match[str], body_end: int, known: dict[str, Speaker]
) -> Speaker | None:
    """Speaker from the reporting clause before or after a quotation; None when there is none."""
    before = text[max(0, quote.start() - CONTEXT_CHARS) : quote.start()]
    line_start = before.rfind("\n") + 1
    ends = list(_SENTENCE_END.finditer(before, line_start))
    clause = before[ends[-1].end() if ends else line_start :]
    verbs = list(_VERB.finditer(clause))
    clause_start = len(before) - len(clause)
    for verb in verbs:
        if _clean_subject(clause[: verb.start()]):
            return _speaker_from_subject(clause[: verb.start()], before[:clause_start], known)
    after = text[quote.end() : quote.end() + 200].split("\n", 1)[0]
    if body_end < quote.end() and after and (match := _AFTER_QUOTE.match(after)):
        subject = match.group("subject_after") or match.group("subject_before")
        subject = re.split(rf"\s+{SPEECH_VERB}\b|\s+(?:to|on|in|at)\s", subject)[0]
        return _speaker_from_subject(subject, before, known)
    return None


def _inline_quotes(text: str, skip: Spans) -> list[dict]:
    """Quotes in prose between quote marks, with the speaker of their reporting clause."""
    facts: list[dict] = []
    known: dict[str, Speaker] = {}
    previous: tuple[int, Speaker] | None = None  # (line number, speaker) of the last quote
    lines = Lines(text)
    for quote in _INLINE_QUOTE.finditer(text):
        line_start = text.rfind("\n", 0, quote.start()) + 1
        if text.startswith("Quote Message", line_start):
            continue
        group = next(g for g in ("straight", "curly", "single") if quote.group(g) is not None)
        start, end = _trimmed(text, quote.start(group), quote.end(group))
        words = text[start:end].split()
        if len(words) < MIN_QUOTE_WORDS or skip.overlaps(start, end):
            continue
        line_number = lines.number(quote.start())
        speaker = _speaker_for_inline(text, quote, quote.end(group), known)
        opens_paragraph = not text[line_start : quote.start()].strip()
        if speaker is None and previous is not None:
            same_paragraph = line_number == previous[0]
            next_paragraph = opens_paragraph and line_number - previous[0] <= 2  # blank line or not
            if same_paragraph or next_paragraph:
                speaker = previous[1]
        speaker = speaker or Speaker()
        if speaker.name and (speaker.role or speaker.organisation):
            known[speaker.name] = speaker
        previous = (line_number, speaker)
        facts.append(_fact(text, start, end, speaker))
    return facts


def extract_quotes(
    text: str,
    published_date: dt.date | None,
    skip_spans: Sequence[tuple[int, int]] = (),
) -> list[dict]:
    """Quotations in a text with speaker, role, organisation and offsets, in text order."""
    del published_date  # quotations carry no dates; the argument keeps the extractor contract
    skip = Spans(skip_spans)
    facts = _block_quotes(text, skip) + _inline_quotes(text, skip)
    titles = _titles_of_people(text)
    for fact in facts:
        if fact["speaker"] and not fact["speaker_role"]:
            fact["speaker_role"] = titles.get(fact["speaker"])
    return sorted(facts, key=lambda fact: fact["char_start"])
