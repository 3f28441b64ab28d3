"""Who the quotes are attributed to: a review of every quote's speaker for `make eval`.

There is no gold for quotes, so this review is the measurement. Each quote is listed with its
speaker, role, organisation and first words, and its attribution is checked against what a
speaker is: a person or an organisation, with a role that is a noun phrase. The checks are
deliberately simple and independent of the extraction rules:

Speaker (a person or an organisation):
- place: the speaker is a place of the `places` lexicon, or the article uses it only as a place
  ("MP for X", "in X", "near X", "outside X") and it has no organisation word ("Hospital");
- possessive: it ends in 's, s' or an apostrophe ("David Cameron's");
- role: it, or a comma-separated part of it, is a title or role ("Shadow Health Minister");
- fragment: it starts with a lower-case word, holds a lower-case word that is no name particle
  or organisation connector (of, and, for, the, de, van, ...), or starts with a pronoun or a
  sentence opener ("Here", "If", "As", ...).
Role (a noun phrase):
- fragment: it holds a pronoun, a finite verb outside a relative clause ("are holding"), a time
  word ("this week"), a percentage, starts with a conjunction or sentence opener, or ends in a
  function word ("spokeswoman for trade group the");
- it holds a person's name (after an honorific, or a comma part of name words only: the name
  belongs in the speaker) or is an organisation's name.
Organisation:
- place, possessive, fragment as for the speaker; a person (it starts with an honorific).

A quote with any of these counts once towards "speaker not a person or organisation". A speaker
that is a bare surname ("Hunt", "Mr Hunt") where the article names that person in full among the
quotes' speakers counts as "not merged".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from strikewatch.lexicon import lexicon

FIRST_WORDS = 8
_PLACES = {name.casefold() for name in lexicon("places").labels.values()} | {
    phrase.casefold().removeprefix("the ") for phrase in lexicon("places").labels
}
_ROLE_WORDS = set(lexicon("role_words").labels)
_ORGANISATION_WORDS = set(lexicon("organisation_words").labels)
_TITLES = set(lexicon("titles").labels)
_NOT_FIRST_NAMES = (
    _TITLES | _ROLE_WORDS | _ORGANISATION_WORDS | set(lexicon("not_name_words").labels)
)
_LOWER_ALLOWED = {
    "of", "and", "for", "the", "&", "on", "upon", "de", "del", "la", "le", "van", "von", "der",
    "den", "du", "da", "di", "al", "bin", "y",
}  # fmt: skip
_OPENERS = {
    "it", "he", "she", "they", "we", "i", "you", "here", "there", "if", "as", "when", "while",
    "whilst", "but", "and", "so", "this", "that", "these", "those", "of", "due", "despite",
    "although", "though", "because", "since", "after", "before", "then", "referring",
    "commenting", "speaking", "asked", "meanwhile", "however", "only",
}  # fmt: skip
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "them", "us", "him", "me"}
_FINITE_VERBS = {"is", "are", "was", "were", "has", "have", "had", "says", "said", "will"}
_RELATIVES = {"who", "which", "that", "whose", "whom", "where"}
_TIME_WORDS = {
    "today", "yesterday", "tonight", "tomorrow", "week", "weekend", "morning", "afternoon",
    "evening", "night", "earlier", "later", "recently",
}  # fmt: skip
_FUNCTION_ENDINGS = {
    "and", "or", "the", "a", "an", "of", "to", "for", "with", "by", "in", "on", "at", "from",
    "as", "but",
}  # fmt: skip
_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
_WORD = re.compile(r"[\w'’&%.-]+")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|across)\s+(?:the\s+)?|\bM[PS]P? for\s+(?:the\s+)?)$"
)
_SEAT_AFTER = re.compile(r"\s+(?:MPs?|MSP?s?|AMs?|constituency)\b")  # "the X MP": X is a seat


@dataclass(frozen=True)
class ReviewedQuote:
    """One quote's attribution and what is wrong with it (empty when nothing is)."""

    file: str
    char_start: int
    speaker: str | None
    role: str | None
    organisation: str | None
    words: str
    problems: tuple[str, ...] = ()
    unmerged: bool = False


@dataclass
class SpeakerCounts:
    """The counts of one set's review."""

    quotes: int = 0
    without_speaker: int = 0
    not_person_or_organisation: int = 0
    not_merged: int = 0
    reviewed: list[ReviewedQuote] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"quotes {self.quotes}, without speaker {self.without_speaker}, speaker not a person "
            f"or organisation {self.not_person_or_organisation}, not merged {self.not_merged}"
        )


def _words(phrase: str) -> list[str]:
    return _WORD.findall(phrase)


def _fragment(phrase: str) -> str | None:
    """Why a name-like phrase (speaker, organisation) is a fragment, or None."""
    words = _words(phrase)
    if not words:
        return "fragment: no words"
    if words[0][0].islower():
        return f"fragment: starts with {words[0]!r}"
    if words[0].casefold() in _OPENERS:
        return f"fragment: starts with {words[0]!r}"
    lower = [w for w in words if w[0].islower() and w not in _LOWER_ALLOWED]
    if lower == [words[-1]] and words[-1].capitalize() in _ORGANISATION_WORDS:
        lower = []  # "the York trust"
    if lower:
        return f"fragment: lower-case {lower[0]!r}"
    return None


def _used_only_as_place(phrase: str, text: str) -> bool:
    """Whether the text names the phrase only as a place ("MP for X", "in X", "the X MP")."""
    mentions = [m.span() for m in re.finditer(rf"\b{re.escape(phrase)}\b", text)]
    if not mentions or set(phrase.split()) & _ORGANISATION_WORDS:
        return False
    return all(
        _PLACE_BEFORE.search(text[max(0, start - 20) : start])
        or (text[max(0, start - 4) : start].casefold() == "the " and _SEAT_AFTER.match(text, end))
        for start, end in mentions
    )


def speaker_problems(speaker: str, text: str) -> list[str]:
    """Why a speaker is not a person or an organisation (empty when it is one)."""
    problems = []
    bare = re.sub(r"^the\s+", "", speaker.strip(), flags=re.IGNORECASE)
    if bare.casefold() in _PLACES or _used_only_as_place(bare, text):
        problems.append(f"speaker is a place: {speaker!r}")
    if _POSSESSIVE.search(bare):
        problems.append(f"speaker is a possessive: {speaker!r}")
    for part in (p.strip() for p in bare.split(",")):
        words = _words(part)
        if words and words[-1] in _ROLE_WORDS:
            problems.append(f"speaker is a role: {part!r}")
            break
    fragment = _fragment(bare)
    if fragment:
        problems.append(f"speaker {fragment}: {speaker!r}")
    return problems


def role_problems(role: str) -> list[str]:
    """Why a role is not a noun phrase (empty when it is one)."""
    words = _words(role)
    folded = [w.casefold() for w in words]
    if not words:
        return ["role is empty"]
    reasons = []
    if folded[0] in _OPENERS:
        reasons.append(f"starts with {words[0]!r}")
    if folded[-1] in _FUNCTION_ENDINGS:
        reasons.append(f"ends with {words[-1]!r}")
    if pronoun := next((w for w in folded if w in _PRONOUNS), None):
        reasons.append(f"holds the pronoun {pronoun!r}")
    relative = next((i for i, w in enumerate(folded) if w in _RELATIVES), len(folded))
    if verb := next((w for w in folded[:relative] if w in _FINITE_VERBS), None):
        reasons.append(f"holds the verb {verb!r}")
    if time := next((w for w in folded if w in _TIME_WORDS), None):
        reasons.append(f"holds the time word {time!r}")
    if "%" in role:
        reasons.append("holds a percentage")
    if (
        all(w[0].isupper() for w in words)
        and set(words) & _ORGANISATION_WORDS
        and words[-1] not in _ROLE_WORDS
    ):
        reasons.append("is an organisation's name")
    if name := _name_in_role(role):
        reasons.append(f"holds the name {name!r}")
    return [f"role is a fragment ({'; '.join(reasons)}): {role!r}"] if reasons else []


def _name_in_role(role: str) -> str | None:
    """A person's name inside a role: after an honorific, or a comma part of only name words."""
    titled = re.search(rf"\b(?:{'|'.join(sorted(_TITLES))})\.?(?: [A-Z][\w'’-]+)+", role)
    if titled:
        return titled.group(0)
    for part in (p.strip() for p in role.split(",")):
        words = part.split()
        if len(words) >= 2 and all(
            w[0].isupper() and not w.isupper() and w not in _NOT_FIRST_NAMES for w in words
        ):
            return part
    return None


def organisation_problems(organisation: str, text: str) -> list[str]:
    """Why an organisation is not one (empty when it is one)."""
    problems = []
    bare = re.sub(r"^the\s+", "", organisation.strip(), flags=re.IGNORECASE)
    words = _words(bare)
    if bare.casefold() in _PLACES or _used_only_as_place(bare, text):
        problems.append(f"organisation is a place: {organisation!r}")
    if _POSSESSIVE.search(bare):
        problems.append(f"organisation is a possessive: {organisation!r}")
    if words and words[0].rstrip(".") in _TITLES:
        problems.append(f"organisation is a person: {organisation!r}")
    if words and words[0] in _ROLE_WORDS:
        problems.append(f"organisation is a role: {organisation!r}")
    fragment = _fragment(bare)
    if fragment:
        problems.append(f"organisation {fragment}: {organisation!r}")
    return problems


def _surname_only(speaker: str) -> str | None:
    """The surname of a speaker written as a bare surname or honorific and surname."""
    words = speaker.split()
    if words and words[0].rstrip(".") in _TITLES:
        words = words[1:]
    return words[0] if len(words) == 1 else None


def _named_in_full(surname: str, text: str) -> bool:
    """Whether the text gives a first name before the surname somewhere ("Jeremy Hunt")."""
    for match in re.finditer(rf"\b([A-Z][\w'’-]+) {re.escape(surname)}\b", text):
        if match.group(1) not in _NOT_FIRST_NAMES:
            return True
    return False


def review(quotes: list[dict], texts: dict[str, str]) -> SpeakerCounts:
    """Review the attribution of quote rows (extracted.quotes) of the given texts."""
    counts = SpeakerCounts()
    for row in sorted(quotes, key=lambda r: (r["source_file"], r["char_start"])):
        text = texts.get(row["source_file"], "")
        speaker, role, organisation = row["speaker"], row["speaker_role"], row["organisation"]
        problems = []
        if speaker:
            problems += speaker_problems(speaker, text)
        if role:
            problems += role_problems(role)
        if organisation:
            problems += organisation_problems(organisation, text)
        surname = _surname_only(speaker) if speaker else None
        unmerged = bool(surname) and _named_in_full(surname, text)
        counts.quotes += 1
        counts.without_speaker += not speaker
        counts.not_person_or_organisation += bool(problems)
        counts.not_merged += unmerged
        words = " ".join(row["quote"].split()[:FIRST_WORDS])
        counts.reviewed.append(
            ReviewedQuote(
                row["source_file"],
                row["char_start"],
                speaker,
                role,
                organisation,
                words,
                tuple(problems),
                unmerged,
            )
        )
    return counts


def format_review(counts: SpeakerCounts) -> str:
    """The review as plain text: the count line, then every quote, problems under it."""
    lines = ["Quotes and their speakers (no gold; checks: strikewatch/speaker_report.py)"]
    lines.append(counts.line())
    for quote in counts.reviewed:
        mark = "!" if quote.problems else ("~" if quote.unmerged else " ")
        lines.append(
            f" {mark} {quote.file} @{quote.char_start} speaker={quote.speaker!r}"
            f" role={quote.role!r} organisation={quote.organisation!r} | {quote.words!r}"
        )
        lines += [f"      {problem}" for problem in quote.problems]
        if quote.unmerged:
            lines.append("      not merged with the full name the article gives")
    return "\n".join(lines)
