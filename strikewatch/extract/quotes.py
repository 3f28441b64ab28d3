"""Quotations with their speakers: "Quote Message" blocks and quoted speech in prose.

A quotation is the words between quote marks (or after "Quote Message"), kept verbatim as the
evidence. Quoted runs of fewer than MIN_QUOTE_WORDS words are scare-quotes or catchphrases
('bleak day', "very fair") and are not quotations.

A speaker is a person or an organisation: never a place, a possessive or a piece of a sentence.
It comes from a reporting clause before or after the quotation ("X said:", "..., he told the
BBC", "according to X"), from an attribution line under a block ("Name, Role, Organisation"), or
from the previous quotation when a paragraph continues it. A clause's subject is read as
comma-separated parts: a person's name with a role before or beside it ("union leader Jo Bloggs",
"Jo Bloggs, chair of the BMA's committee"), an organisation ("Royal Mail"), a pronoun, or a role
alone. A pronoun is the last person named or the last speaker in the preceding lines, whichever
came later ("it" and "they": the last organisation). A role alone ("the health secretary") is
the person the article gave that role, an organisation word ("the trust") the last organisation
of that kind, a spokesperson the organisation they speak for. A subject that is no noun phrase
("If X had come to us and said", "People are holding placards") names nobody: a quotation that
no one can be named for keeps a null speaker.

Within an article a person is one speaker: "Hunt" and "Mr Hunt" are written as the full name
the article gives ("Jeremy Hunt"), without honorifics, and a speaker's role and organisation
fill the quotations whose clause gave none.

People are read (`_people_in_runs`) from runs of capitalised words: what follows the last word
of a run that belongs to a title, role or organisation ("Health Secretary Jo Bloggs" gives Jo
Bloggs with the title "Health Secretary"). A run never crosses a line break, so they are read a
line at a time, only on the lines a quotation asks about (`_People`): those before a pronoun,
those that name a surname, a speaker or a role.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from strikewatch.extract.analysis import (
    APOSTROPHE,
    NAME_WORD,
    TITLES,
    Analysis,
    Quotation,
    capitalised_runs,
)
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.lexicon import alternation, lexicon

MIN_QUOTE_WORDS = 4
CONTEXT_LINES = 3  # how many preceding non-blank lines a pronoun may be resolved from
ROLE_WINDOW = 4000  # how far back (characters) a role or "the trust" is matched to a name
HOLDER_WINDOW = 16000  # how far back "the health secretary" is matched to a titled name
MAX_SUBJECT_WORDS = 30

SPEECH_VERBS = {verb.lower() for verb in lexicon("reporting_verbs").labels}
VERBS = SPEECH_VERBS | {verb.lower() for verb in lexicon("quoting_verbs").labels}
_VERB = re.compile(  # a verb of VERBS as a whole word ([A-Za-z]+) in any case
    rf"(?<![A-Za-z])(?:{alternation(sorted(VERBS))})(?![A-Za-z])", re.IGNORECASE | re.ASCII
)
# The same verb after the character before it, in lower-cased text: the engine then skips to the
# characters a verb can follow, and reads no case (see _verbs).
_VERB_AFTER = re.compile(rf"[^a-z](?:{alternation(sorted(VERBS))})(?![a-z])")
PERSON_NAME = re.compile(
    rf"(?:{TITLES} )*{NAME_WORD}(?: (?:[A-Z]\. )?{NAME_WORD}){{0,2}}(?: M[PS]P?)?"
)
_TITLE = re.compile(TITLES)
_POSSESSIVE_AFTER = re.compile(rf"{APOSTROPHE}s\b|(?<=s){APOSTROPHE}(?!\w)")
_WORD_BEFORE = re.compile(  # a determiner or a preposition of place right before a name
    r"\b(?:(?P<determiner>the|a|an)|in|at|from|outside|near|across)\s$", re.IGNORECASE
)
# the words _WORD_BEFORE looks for
_WORDS_BEFORE = ("the", "a", "an", "in", "at", "from", "outside", "near", "across")
_DETERMINERS = {"The", "A", "An", "This", "That", "These", "Those"}

TITLE_WORDS = set(lexicon("titles").labels)
ROLE_WORDS = set(lexicon("role_words").labels)
ORGANISATION_WORDS = set(lexicon("organisation_words").labels)
KNOWN_ORGANISATIONS = set(lexicon("unions").labels) | set(lexicon("pollsters").labels)
NOT_NAME_WORDS = (
    set(lexicon("not_name_words").labels)
    | ROLE_WORDS
    | ORGANISATION_WORDS
    | set(lexicon("weekdays").labels)
    | {place for place in lexicon("places").labels if " " not in place}
    | KNOWN_ORGANISATIONS
)
PRONOUNS = set(lexicon("pronouns").labels)
SPOKESPERSON_WORDS = set(lexicon("spokesperson_words").labels)
_CLAUSE_WORDS = lexicon("clause_words")
AUXILIARIES = set(_CLAUSE_WORDS.with_label("auxiliary"))
SUBORDINATORS = set(_CLAUSE_WORDS.with_label("subordinator"))
RELATIVES = set(_CLAUSE_WORDS.with_label("relative"))
OBJECT_PRONOUNS = set(_CLAUSE_WORDS.with_label("object_pronoun"))
_PHRASE_WORD = re.compile(r"[\w-]+")
TIME_PHRASES = set(_CLAUSE_WORDS.with_label("time"))
_LONGEST_TIME = max(len(phrase.split()) for phrase in TIME_PHRASES)
_TIME_FIRST_WORDS = {phrase.split(" ")[0] for phrase in TIME_PHRASES}
_TIME_LAST_WORDS = {phrase.split(" ")[-1] for phrase in TIME_PHRASES}
_FUNCTION_ENDINGS = {"and", "or", "the", "a", "an", "of", "to", "for", "with", "by", "in", "on"}
_FUNCTION_ENDINGS |= {"at", "from", "as", "but", "its", "their", "his", "her"}
_NOT_ROLE_STARTS = {"and", "or", "but", "of", "to", "in", "on", "at", "for", "from", "with", "by"}
_NOT_ROLE_STARTS |= {"about", "into", "over", "under", "also", "then", "what", "how", "why"}
_CONDITIONALS = {"if", "unless", "had", "would", "were", "should"}
FUNCTION_WORDS = SUBORDINATORS | RELATIVES | _NOT_ROLE_STARTS | _CONDITIONALS  # "Before Jo Bloggs"
_NOT_ROLE_OPENINGS = SUBORDINATORS | _CONDITIONALS | _NOT_ROLE_STARTS
_NOT_IN_NAMES = NOT_NAME_WORDS | {word.capitalize() for word in FUNCTION_WORDS}
_CONNECTORS = {"of", "and", "for", "the", "&", "in", "on", "at", "de", "du", "la", "le"}

_QUOTE_BLOCK_MARK = "Quote Message"
_LEADING_FILLER = re.compile(
    r"^(?:(?:But|And|So|Yet|However|Meanwhile|Earlier|Later|Instead|Also|Now|Only|Even|Then|"
    r"Separately|Elsewhere|Still|Indeed),?\s+)+"
)
_OPENER = re.compile(
    r"^(?:(?:in|on|at|during|after|before|from|asked|when|as|while|whilst|due|despite|following|"
    r"ahead|amid|with|without|for|by|since|of|under|given|once|although|though|because)\b"
    r"|[A-Z][a-z]+ing\s+(?:[a-z]|the\b))",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_QUANTIFIER_START = re.compile(
    r"^(?:more|some|many|several|most|all|both|dozens|hundreds|thousands|two|three|four|five)\b",
    re.IGNORECASE,
)
_ROLE_START = re.compile(r"^(?:the|a|an|our|its|his|her|their|one|another)\s+", re.IGNORECASE)
_ORG_RUN = r"[A-Z][\w&'’.-]*(?:\s+(?:(?:of|and|for|the|&|on)\s+)*[A-Z][\w&'’.-]*)*"
_ORG_IN_ROLE = re.compile(
    rf"\b(?:at|of|for|from|with)\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:the\s+)?(?P<org>{_ORG_RUN}"
    rf"(?:\s+(?:{'|'.join(sorted(w.lower() for w in ORGANISATION_WORDS))}))?)"
    r"(?:$|(?= and )|(?= in [A-Z]))"
)
_PREFIX_ORG = re.compile(
    rf"^(?P<org>[A-Z][A-Z0-9&-]+[a-z]*|{'|'.join(sorted(KNOWN_ORGANISATIONS))}|Labour|Conservative"
    r"|Tory|Green|Liberal Democrat|Reform|SNP)\s+(?=[a-z]|(?:"
    + "|".join(sorted(ROLE_WORDS))
    + r")\b)"
)
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&-]*[A-Z][A-Za-z0-9&-]*")
_ORG_BEFORE_ROLE = re.compile(rf"^(?P<org>{_ORG_RUN})\s+(?=[a-z])")  # "Royal Mail spokesman"
_ORG_OWNER_IN_ROLE = re.compile(
    rf"\b(?:of|at|for|from)\s+(?:the\s+)?(?P<org>{_ORG_RUN}?)(?:{APOSTROPHE}s|(?<=s){APOSTROPHE})\s"
)
_INNER_SUBJECT = re.compile(
    rf"\b(?:which|where|whom|when|while)\s+(he|she|it|{PERSON_NAME.pattern})\s+[a-z]+"
)
_OWNER = re.compile(rf"^(?P<owner>[^,]+?)(?:{APOSTROPHE}s|(?<=s){APOSTROPHE})\s+(?P<rest>.+)$")
_CAPITALISED_WORD = re.compile(r"[A-Z](?<=\b[A-Z])[\w&'’-]*")  # "\b[A-Z]...", skipping to capitals
_ORG_NAME_BEFORE = re.compile(  # the words of a name that ends in an organisation word
    r"(?:[A-Z][\w&'’-]*, ){0,4}(?:[A-Z][\w&'’.-]* (?:(?:of|and|for|the|&) )*){1,8}$"
)
_CLAUSE_STOP = re.compile(r"[.;:\n\"“”]")
_SUBJECT_AFTER_END = re.compile(r"\s+(?:to|on|in|at|that|after|before)\s")
# The two patterns below open with a character class, so that the engine skips to its characters.
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"“‘])")  # a sentence ends after its first character
_ACCORDING_TO = re.compile(r"[Aa](?<=\b[Aa])(?i:ccording to)\s+(?P<subject>[^.;:\n\"“”]+)")
_ROLE_WORD = re.compile(r"[\w'’&%-]+")
_NOT_IN_A_ROLE = re.compile(r"[%|:;]")
_COMMA = re.compile(r",\s+")
_HEADLINE_CUT = re.compile(r"[:|]\s")
_GLUED_NAME = re.compile(r"[A-Z](?<=\d[A-Z])(?=[a-z])")  # a name's capital right after a digit
_LEADING_COMMA = re.compile(r",?\s*")
_APPOSITION = re.compile(r",\s+(?:a|an|the|who|\d)\b")  # "Sabrieh, a junior doctor"
_DEFINITE = re.compile(r"(?:the|our|its|their)\s", re.IGNORECASE)
_LAST_CLAUSE = re.compile(r"\b(?:which|who|whom|where|when|as|while)\s+")
_SEAT = re.compile(r" M[PS]P?$")
_NAME_WORD = re.compile(NAME_WORD)
_ASCII_LETTERS = frozenset(string.ascii_letters)
# the last characters of the words of a capitalised run (analysis.capitalised_runs)
_NAME_WORD_ENDINGS = frozenset(string.ascii_lowercase + ".") | {title[-1] for title in TITLE_WORDS}


@dataclass(kw_only=True, unsafe_hash=True, slots=True)
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


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Person:
    """A person named in the text, with the capitalised title before the name, if any."""

    start: int
    end: int
    name: str
    title: str
    after_place_word: bool = False  # "outside Tooting Broadway": perhaps a place


def _names_in(phrase: str) -> list[Person]:
    """People named in a short phrase, in order."""
    return _people_in_runs(phrase, capitalised_runs(phrase))


def _people_in_runs(text: str, runs: list[tuple[int, int]]) -> list[Person]:
    """People named in a text, in order, read from its runs of capitalised words.

    "Health Secretary Jeremy Hunt" gives Person(name "Jeremy Hunt", title "Health Secretary");
    "David Cameron's", "outside Tooting Broadway" and "the Rail Delivery Group" give nobody.
    """
    found = []
    for start, end in runs:
        parts = _name_in_run(text[start:end])
        if parts is None:
            continue
        if text.startswith(("'", "’"), end) and _POSSESSIVE_AFTER.match(text, end):
            continue  # "David Cameron's spokeswoman" is not David Cameron
        word_before = None  # _WORD_BEFORE ends with a space and a word: only then is it looked for
        if start and text[start - 1].isspace():
            before = text[max(0, start - 9) : start]
            if _may_end_with(before, _WORDS_BEFORE):
                word_before = _WORD_BEFORE.search(before)
        if word_before and word_before.group("determiner"):
            continue  # a thing: "the Brighton Pavilion MP", "a Royal Mail spokesman"
        name_offset, name, title = parts
        found.append(Person(start + name_offset, end, name, title, word_before is not None))
    return found


def _may_end_with(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text may end with one of the lower-case ASCII words in any case, spaces
    aside: a cheap test before a pattern anchored at its end (which, not in ASCII, may take
    another letter for one of theirs)."""
    return not text.isascii() or text.rstrip().lower().endswith(words)


@lru_cache(maxsize=8192)
def _name_in_run(run: str) -> tuple[int, str, str] | None:
    """(where in the run the name starts, the name, the title before it) of a capitalised run,
    or None when it names nobody: the name is what follows the run's last title, role or
    function word, of at most three words besides honorifics, after no determiner."""
    words = run.split(" ")
    lead = len(words)
    while lead and words[lead - 1].rstrip(".") not in _NOT_IN_NAMES:
        lead -= 1
    name_words = words[lead:]
    named = [w for w in name_words if w.rstrip(".") not in TITLE_WORDS]
    if not named or len(named) > 3 or (lead and words[lead - 1] in _DETERMINERS):
        return None
    title = " ".join(words[:lead])
    return len(title) + (1 if lead else 0), " ".join(name_words), title


@lru_cache(maxsize=4096)
def _is_person_name(phrase: str) -> bool:
    """Whether a phrase is entirely a person's name ("Dr Jo Bloggs", "Martin")."""
    phrase = phrase.strip()
    if not PERSON_NAME.fullmatch(phrase):
        return False
    names = _names_in(phrase)
    phrase = _SEAT.sub("", phrase)
    return len(names) == 1 and (names[0].name, names[0].title) == (phrase, "")


def _introduces_nobody(part: str) -> bool:
    """Whether words before a name are page debris or a name rather than a role ("BBC Radio 4")."""
    return not any(w[0].islower() or w in ROLE_WORDS for w in part.split())


_LEADING_TITLES = re.compile(rf"^(?:{TITLES}\s+)+")
_TRAILING_SEAT = re.compile(r"\s+M[PS]P?$")


@lru_cache(maxsize=4096)
def _strip_title(name: str) -> str:
    """A name without leading honorifics or a trailing "MP" ("Professor Sir Jo Bloggs MP")."""
    name = name.strip()
    if name.split(" ", 1)[0].rstrip(".") in TITLE_WORDS:
        name = _LEADING_TITLES.sub("", name)
    return _TRAILING_SEAT.sub("", name) if name.endswith(("MP", "MS", "MSP")) else name


def _bare(phrase: str) -> str:
    """A phrase without a leading article or possessive determiner."""
    return _ROLE_START.sub("", phrase.strip(" ,"))


@lru_cache(maxsize=4096)
def _looks_like_organisation(phrase: str) -> bool:
    """Capitalised words (and connectors) that name an organisation: with an organisation word
    ("Royal Mail" has "Mail"), an acronym ("RMT") or a known union or pollster."""
    words = _bare(phrase).split()
    if not words or not words[0][0].isupper():
        return False
    if not all(w[0].isupper() or w[0].isdigit() or w.strip(",") in _CONNECTORS for w in words):
        return (  # "the York trust"
            len(words) <= 4
            and words[-1].capitalize() in ORGANISATION_WORDS
            and all(w[0].isupper() for w in words[:-1])
        )
    if ROLE_WORDS & {words[0], words[-1].rstrip(".")} or _is_person_name(" ".join(words)):
        return False
    if any(part.split()[-1] in ROLE_WORDS for part in phrase.split(", ") if part.strip()):
        return False  # "Shadow Health Minister, Jo Bloggs"
    return any(
        w.strip(",") in ORGANISATION_WORDS or w in KNOWN_ORGANISATIONS or _is_acronym(w)
        for w in words
    )


def _is_acronym(word: str) -> bool:
    """Whether a word is an acronym ("RMT", "TfL", "SAG-AFTRA"), not a place or a name."""
    return (
        bool(_ACRONYM.fullmatch(word))
        and not _NAME_WORD.fullmatch(word)
        and word not in NOT_NAME_WORDS - KNOWN_ORGANISATIONS
    )


def _is_role_phrase(phrase: str) -> bool:
    """Whether a phrase reads as a role ("chair of the union's committee"), not a clause."""
    words = _ROLE_WORD.findall(phrase)
    low = [w.lower() for w in words]
    if not words or len(words) > MAX_SUBJECT_WORDS or _NOT_IN_A_ROLE.search(phrase):
        return False
    if low[0] in _NOT_ROLE_OPENINGS or low[-1] in _FUNCTION_ENDINGS:
        return False
    if any(w in PRONOUNS or w in OBJECT_PRONOUNS for w in low):
        return False
    relative = next((i for i, w in enumerate(low) if w in RELATIVES), len(low))
    return not (any(w in AUXILIARIES for w in low[:relative]) or _has_time_phrase(phrase))


def _has_time_phrase(phrase: str) -> bool:
    """Whether a phrase holds a time or manner phrase ("this week", "in a statement")."""
    words = _PHRASE_WORD.findall(phrase.lower())
    return any(
        " ".join(words[i : i + n]) in TIME_PHRASES
        for i, word in enumerate(words)
        if word in _TIME_FIRST_WORDS
        for n in range(1, min(_LONGEST_TIME, len(words) - i) + 1)
    )


def _without_trailing_time(subject: str) -> str:
    """A subject without the time phrases that end it ("the union, this week, also")."""
    while True:
        subject = subject.rstrip(" ,")
        words = subject.lower().split()
        if not words or words[-1] not in _TIME_LAST_WORDS:
            return subject
        ending = next(
            (n for n in range(_LONGEST_TIME, 0, -1) if " ".join(words[-n:]) in TIME_PHRASES),
            None,
        )
        if ending is None or ending >= len(words):
            return subject
        subject = subject.rsplit(None, ending)[0]


def _organisation_of(role: str) -> tuple[str, str | None]:
    """Split a role phrase into role and the organisation it names, if any."""
    role = _bare(role)
    owner = _OWNER.match(role)
    if owner:
        name = owner.group("owner")
        if _is_person_name(name) or name.split()[-1] in ROLE_WORDS:
            return role, None  # "David Cameron's spokeswoman", "the Prime Minister's spokeswoman"
        if _looks_like_organisation(name):
            return owner.group("rest"), _bare(name)
    in_role = _ORG_IN_ROLE.search(role)
    if in_role and not _is_person_name(in_role.group("org")):
        return role[: in_role.start()].strip(" ,") or role, in_role.group("org")
    has_apostrophe = "'" in role or "’" in role  # what _ORG_OWNER_IN_ROLE needs
    owner_in_role = _ORG_OWNER_IN_ROLE.search(role) if has_apostrophe else None
    if owner_in_role and _looks_like_organisation(owner_in_role.group("org")):
        return role, owner_in_role.group("org")  # "chair of the NDU's pay committee"
    prefix = _PREFIX_ORG.match(role) or _ORG_BEFORE_ROLE.match(role)
    if prefix and (
        prefix.re is _PREFIX_ORG
        or (
            _looks_like_organisation(prefix.group("org"))
            and prefix.group("org") not in ORGANISATION_WORDS  # "Union organiser": no name
        )
    ):
        return role[prefix.end() :].strip(), prefix.group("org")
    return role, None


def _split_title(title: str) -> tuple[str, str | None]:
    """A capitalised title split into role and organisation ("City Teachers Union President")."""
    words = title.split()
    last = max((i for i, w in enumerate(words) if w in ORGANISATION_WORDS), default=-1)
    if 0 <= last < len(words) - 1:
        return " ".join(words[last + 1 :]), " ".join(words[: last + 1])
    return title, None


def _split_parts(subject: str) -> list[str]:
    """Comma-separated parts of a subject, without ages ("36") or a relative clause and what
    follows it ("Jo Bloggs, who chairs the union, ...")."""
    parts = []
    for part in _COMMA.split(subject):
        part = part.strip(" ,")
        if part and part.split()[0].lower() in RELATIVES:
            break
        if part and not part.isdigit():
            parts.append(part)
    return parts


def _spaced(match: re.Match[str]) -> str:
    """A match with a space before it (a function: a template is parsed at each call)."""
    return " " + match.group()


def _clean_subject(subject: str) -> str:
    """A reporting clause's subject without connectives, opening adverbials, brackets and
    trailing time phrases ("Commenting on the vote, Jo Bloggs (BMA) this week" -> "Jo Bloggs")."""
    if "(" in subject:
        subject = _BRACKETED.sub("", subject)
    subject = _HEADLINE_CUT.split(subject)[-1]  # "Headline: X calls for"
    subject = _GLUED_NAME.sub(_spaced, subject)  # "Radio 4Jo Bloggs": page debris
    subject = _LEADING_FILLER.sub("", subject.strip(" ,:;-–—•*\t\n")).strip()
    while "," in subject:
        head, rest = subject.split(",", 1)
        if not _OPENER.match(head.strip()):
            break
        subject = _LEADING_FILLER.sub("", rest.strip())
    return _without_trailing_time(subject).strip(" ,")


def _trailing_names(part: str) -> tuple[str, list[str]] | None:
    """The role before the person (or people) who end a part ("co-chairs Dr A B and Dr C D")."""
    words = part.split()
    for start, word in enumerate(words):
        if not "A" <= word[0] <= "Z":
            continue  # a name opens with a capital letter
        candidate = " ".join(words[start:])
        if not _is_person_name(candidate):
            continue
        prefix = words[:start]
        if prefix and prefix[-1].lower() in ("the", "a", "an"):
            continue  # "the Ashby Fields MP": a seat or a thing, not a person
        if prefix and len(_strip_title(candidate).split()) < 2 and not _TITLE.match(candidate):
            return None  # "union leader Bloggs": a role and one word is no name
        names = [candidate]
        if len(prefix) >= 3 and prefix[-1] == "and":
            for first in range(len(prefix) - 1):
                other = " ".join(prefix[first:-1])
                if _is_person_name(other) and len(_strip_title(other).split()) >= 2:
                    names.insert(0, other)
                    prefix = prefix[:first]
                    break
        return " ".join(prefix), names
    return None


def _may_lengthen(line: str, bare: str) -> bool:
    """Whether a line may give a longer name that ends with a name ("Jo Bloggs" for "Bloggs"):
    where the name ends a word, one space after a capitalised word that may be a name's (an
    honorific before it goes on to the word before). A cheap test before the line's people
    are read: a capitalised run is words one space apart, and a name ends one."""
    needle = " " + bare
    found = line.find(needle)
    while found >= 0:
        after = found + len(needle)
        if line[after : after + 1] not in _ASCII_LETTERS and _may_end_with_a_name_word(
            line[:found]
        ):
            return True
        found = line.find(needle, found + 1)
    return False


def _may_end_with_a_name_word(text: str) -> bool:
    """Whether a text may end with a word of a name, besides honorifics after it, that a
    capitalised run goes on from: a name word or a title ("Jo", "Dr Jo"), or a word of other
    characters that may end with one ("(Jo", "O'Brien")."""
    for word in reversed(text.split(" ")):
        if not word or word[-1] not in _NAME_WORD_ENDINGS:
            return False  # no word of a run ends here
        if not (word.isascii() and word.isalpha()):
            return True
        if word in _NOT_IN_NAMES:
            return False
        if word not in TITLE_WORDS:
            return bool(_NAME_WORD.fullmatch(word) or _TITLE.fullmatch(word))
    return False


def _may_title(line: str, name: str) -> bool:
    """Whether a line may give a name a role as a title ("Health Secretary Jo Bloggs"): where
    the name ends a word, one space after a role word, honorifics aside. A cheap test before the
    line's people are read."""
    found = line.find(name)
    while found >= 0:
        after = found + len(name)
        if line[after : after + 1] not in _ASCII_LETTERS and line[found - 1 : found] == " ":
            for word in reversed(line[: found - 1].split(" ")):
                if word in ROLE_WORDS:
                    return True
                if word.rstrip(".") not in TITLE_WORDS:
                    break
        found = line.find(name, found + 1)
    return False


class _People:
    """The people named in a document, read a line at a time when first asked for: a capitalised
    run never crosses a line break, so a line's people are those the whole text gives there, and
    the quotations of an article only ask about the few lines that name someone they need."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        self._on_line: dict[int, list[Person]] = {}
        self._holders_on_line: dict[int, list[tuple[int, str, Speaker]]] = {}
        self._lines_naming: dict[str, list[int]] = {}

    def on_line(self, number: int) -> list[Person]:
        """People named on a line, in order."""
        people = self._on_line.get(number)
        if people is None:
            text = self.doc.text
            line_start, line_end = self.doc.line_span(number)
            runs = capitalised_runs(text[line_start:line_end])
            runs = [(line_start + start, line_start + end) for start, end in runs]
            people = self._on_line[number] = _people_in_runs(text, runs)
        return people

    def last_between(self, start: int, end: int) -> Iterator[Person]:
        """People named wholly inside [start, end), the last first."""
        line_number = self.doc.line_number
        for number in range(line_number(end), line_number(start) - 1, -1):
            for person in reversed(self.on_line(number)):
                if start <= person.start and person.end <= end:
                    yield person

    def holders_on_line(self, number: int) -> list[tuple[int, str, Speaker]]:
        """(position, role in lower case, holder) of the people a line names with a role before
        their full name ("Health Secretary Jo Bloggs")."""
        holders = self._holders_on_line.get(number)
        if holders is None:
            holders = self._holders_on_line[number] = []
            for person in self.on_line(number):
                bare = _strip_title(person.name)
                if person.title and person.title.split()[-1] in ROLE_WORDS and " " in bare:
                    role, organisation = _split_title(person.title)
                    holders.append((person.start, role.lower(), Speaker(bare, role, organisation)))
        return holders

    def lines_naming(self, name: str) -> list[int]:
        """Numbers of the lines that hold a name, in order (looked for once: a name's full
        names and the role it is given are read on them)."""
        lines = self._lines_naming.get(name)
        if lines is None:
            lines = self._lines_naming[name] = self.doc.lines_holding(name)
        return lines

    def lines_titling(self, role: str) -> list[int]:
        """Numbers of the lines that may give someone a lower-case role as (the end of) their
        title: where it is written in any case, opening with a capital letter, in order."""
        return self.doc.lines_capitalising(role)


class _Reader:
    """The people of one document, and who they are, while its quotations are read in order."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        self.people = _People(doc)
        self.known: dict[str, Speaker] = {}
        self._full_names: dict[str, list[tuple[int, str]]] = {}  # name -> (position, full name)
        self.remembered: list[tuple[int, str, Speaker]] = []  # (position, role, speaker)
        self.last_speaker: tuple[int, Speaker] | None = None
        self._subjects: dict[str, str] = {}  # subject -> _clean_subject(subject)

    def clean_subject(self, subject: str) -> str:
        """_clean_subject, once per subject: a clause's subject is cleaned to test it and again
        to read it."""
        cleaned = self._subjects.get(subject)
        if cleaned is None:
            cleaned = self._subjects[subject] = _clean_subject(subject)
        return cleaned

    def full_names(self, bare: str) -> list[tuple[int, str]]:
        """(position, name) of the longer names, without honorifics, that end with a name ("Jo
        Bloggs" for "Bloggs"), in order."""
        found = self._full_names.get(bare)
        if found is None:
            people, text = self.people, self.doc.text
            found = self._full_names[bare] = [
                (person.start, full)
                for number in people.lines_naming(bare)
                if _may_lengthen(text[slice(*self.doc.line_span(number))], bare)
                for person in people.on_line(number)
                if (full := _strip_title(person.name)).endswith(" " + bare)
            ]
        return found

    def full_name(self, name: str, at: int) -> str:
        """The article's full name for a name ("Mr Hunt" -> "Jeremy Hunt"): the last one before
        a point, else the first one after it; the name without honorifics when there is none."""
        bare = _strip_title(name)
        if not bare:
            return name
        known = self.full_names(bare)
        before = [full for start, full in known if start < at]
        if before:
            return before[-1]
        return known[0][1] if known else bare

    def context_start(self, at: int) -> int:
        """Where the CONTEXT_LINES non-blank lines before a position begin."""
        doc, norm = self.doc, self.doc.norm
        line = doc.line_number(at)
        non_blank = 0
        while line > 0:
            start, end = doc.line_span(line - 1)
            # blank: whitespace alone (its first character mostly says a line is not)
            non_blank += start < end and not (norm[start].isspace() and norm[start:end].isspace())
            if non_blank > CONTEXT_LINES:
                break
            line -= 1
        return doc.line_starts[line]

    def _introduced(self, person: Person) -> bool:
        """Whether a one-word name is a person: the article gives a full name for it, or
        introduces it with an apposition ("Sabrieh, a junior doctor, ...")."""
        if " " in _strip_title(person.name) or _TITLE.match(person.name):
            return True
        if " " in self.full_name(person.name, person.start):
            return True
        return bool(_APPOSITION.match(self.doc.text, person.end, person.end + 8))

    def resolve_pronoun(self, pronoun: str, at: int) -> Speaker:
        """Who a pronoun that ends before `at` refers to."""
        top = self.context_start(at)
        previous = self.last_speaker if self.last_speaker and self.last_speaker[0] >= top else None
        if pronoun in ("it", "they"):
            if previous and previous[1].name and previous[1].name == previous[1].organisation:
                return previous[1]
            organisation = self.last_organisation(top, at) if pronoun == "it" else None
            return Speaker(organisation, None, organisation) if organisation else Speaker()
        if pronoun not in ("he", "she"):
            return Speaker()  # "I" and "we" outside a quotation are the writer
        named_since = previous[0] + 1 if previous else top  # after the last speaker, if any
        for person in self.people.last_between(named_since, at):
            if not person.after_place_word and self._introduced(person):
                full = self.full_name(person.name, at)
                return self.known.get(full, Speaker(full))
        return previous[1] if previous else Speaker()

    def last_organisation(self, start: int, end: int, head: str | None = None) -> str | None:
        """The last organisation named in [start, end), of a kind ("trust") when given."""
        doc = self.doc
        text = doc.text
        found = []
        for word in _CAPITALISED_WORD.finditer(text, start, end):
            if word.group() not in ORGANISATION_WORDS:
                continue
            name = _ORG_NAME_BEFORE.search(text, max(start, word.start() - 160), word.start())
            if name and not _is_person_name(name.group() + word.group()):
                found.append((name.start(), name.group() + word.group()))
        for lexicon_name in ("unions", "pollsters"):
            found += [
                (t.start, doc.text[t.start : t.end]) for t in doc.terms_in(lexicon_name, start, end)
            ]
        if head:
            found = [
                (position, name)
                for position, name in found
                if name.split()[-1].lower().rstrip("s") == head.rstrip("s")
                or (head == "union" and name in KNOWN_ORGANISATIONS)
            ]
        return _bare(max(found)[1]) if found else None

    def holders(self, lines: list[int]) -> list[tuple[int, str, Speaker]]:
        """(position, role in lower case, holder) of the people the article gives a role: those
        with a title on some lines and the speakers remembered with a role, in order."""
        titled = [holder for number in lines for holder in self.people.holders_on_line(number)]
        return sorted(titled + self.remembered, key=lambda holder: holder[0])

    def holder_of(self, role: str, at: int) -> Speaker | None:
        """The person the article gave a role before a point ("Health Secretary Jo Bloggs")."""
        role = role.lower()
        holders = self.holders(self.people.lines_titling(role))
        last = bisect.bisect_left(holders, at, key=lambda holder: holder[0])
        for index in range(last - 1, -1, -1):
            position, held, holder = holders[index]
            if at - position > HOLDER_WINDOW:
                break
            if held == role or held.endswith(" " + role):
                return holder
        return None

    def role_given(self, name: str) -> tuple[str | None, str | None] | None:
        """(role, organisation) of the first holder of a role with that name, if any."""
        text, line_span = self.doc.text, self.doc.line_span
        lines = [
            number
            for number in self.people.lines_naming(name)
            if _may_title(text[slice(*line_span(number))], name)
        ]
        for _, _, holder in self.holders(lines):
            if holder.name == name:
                return holder.role, holder.organisation
        return None

    def remember(self, speaker: Speaker, at: int) -> None:
        """Keep a resolved speaker: for pronouns, roles and later mentions of the same name."""
        if (
            speaker.name
            and (speaker.role or speaker.organisation)
            and speaker.name != speaker.organisation
        ):
            self.known.setdefault(speaker.name, speaker)
            if speaker.role:
                bisect.insort(
                    self.remembered, (at, _bare(speaker.role).lower(), speaker), key=lambda h: h[0]
                )
        if speaker.name or speaker.role:
            self.last_speaker = (at, speaker)

    def speaker_from_subject(self, subject: str, at: int) -> Speaker | None:
        """Speaker named by the subject of a reporting clause whose verb is at `at`; None when
        the subject is no noun phrase (a clause, a fragment)."""
        subject = self.clean_subject(subject)
        words = subject.split()
        if not words or len(words) > MAX_SUBJECT_WORDS:
            return None
        if words[0].lower().strip(",") in _CONDITIONALS:
            return None  # "If the minister had said ...": nobody said it
        last = words[-1].lower().strip(",")
        if last in PRONOUNS and (
            len(words) == 1 or words[-2].lower().strip(",") not in ("to", "of", "for", "with")
        ):
            return self.resolve_pronoun(last, at)
        if last == "and" and (coordinated := self._coordinated(subject, at)):
            return coordinated
        parts = _split_parts(subject)
        if not parts:
            return None
        for index, part in enumerate(parts):
            named = _trailing_names(part)
            if named is None:
                continue
            prefix, names = named
            others = ", ".join(p for i, p in enumerate(parts) if i != index)
            if _introduces_nobody(prefix):
                prefix = ""
            return self._person(names, prefix or others, at)
        whole = ", ".join(parts)
        if _looks_like_organisation(whole):
            organisation = _bare(whole)
            return Speaker(organisation, None, organisation)
        described = self._described(parts[-1] if len(parts) > 1 else whole, at)
        if described is None and "wh" in subject and (inner := _INNER_SUBJECT.findall(subject)):
            inner_subject = inner[-1]  # "footage of X in which she thanks them, saying"
            if inner_subject.lower() in PRONOUNS:
                return self.resolve_pronoun(inner_subject.lower(), at)
            return self._person([inner_subject], "", at)
        return described

    def _person(self, names: list[str], role_text: str, at: int) -> Speaker:
        """A named speaker (or several, "A and B"), with role and organisation."""
        full = [self.full_name(name, at) for name in names]
        if len(full) == 1 and " " not in full[0] and not role_text:
            if _looks_like_organisation(full[0]):
                return Speaker(full[0], None, full[0])
            return self.known.get(full[0], Speaker(full[0]))
        speaker = " and ".join(full)
        if not role_text:
            return self.known.get(speaker, Speaker(speaker))
        role, organisation = _organisation_of(role_text)
        if not _is_role_phrase(role):
            return Speaker(speaker, None, organisation)
        return Speaker(speaker, role or None, organisation)

    def _described(self, phrase: str, at: int) -> Speaker | None:
        """Speaker of a subject that names nobody: an organisation word, a spokesperson, a role.

        A role opens with a determiner or quantifier ("the reporter", "two nurses"), is a title
        ("Health Secretary") or is short ("union officials"); anything else is a clause."""
        words = phrase.split()
        if not _is_role_phrase(phrase) or not phrase[0].isalpha():
            return None
        if not (
            _ROLE_START.match(phrase)
            or _QUANTIFIER_START.match(phrase)
            or _OWNER.match(phrase)
            or len(words) <= 3
            or all(w[0].isupper() or w in _CONNECTORS for w in words)
        ):
            return None
        definite = bool(_DEFINITE.match(phrase))
        role, organisation = _organisation_of(phrase)
        head = role.split()[-1].lower() if role else ""
        if definite and not organisation and head.capitalize() in ORGANISATION_WORDS:
            found = self.last_organisation(max(0, at - ROLE_WINDOW), at, head)
            return Speaker(found, None, found) if found else Speaker(None, role)
        if any(word in role.lower() for word in SPOKESPERSON_WORDS):
            role_or_none = None if role.lower() == "statement" else role  # "a statement from X"
            if organisation and _looks_like_organisation(organisation):
                return Speaker(organisation, role_or_none, organisation)
            return Speaker(None, role_or_none, organisation)
        if definite or role[:1].isupper():
            holder = self.holder_of(role, at)
            if holder is not None:
                return holder
        return Speaker(None, role, organisation)

    def _coordinated(self, subject: str, at: int) -> Speaker | None:
        """The subject of "... Williams looks up and [replies]": the name that opens the last
        clause of a subject ending in "and"."""
        clause = _LAST_CLAUSE.split(subject)[-1]
        words = clause.split()
        for end in range(min(4, len(words) - 1), 0, -1):
            head = " ".join(words[:end])
            if words[end][:1].islower() and (_is_person_name(head) or head.lower() in PRONOUNS):
                if head.lower() in PRONOUNS:
                    return self.resolve_pronoun(head.lower(), at)
                return self._person([head], "", at)
        return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding whitespace, stray quote marks and a trailing comma."""
    while start < end and text[start] in ' \t"“”‘’':
        start += 1
    while end > start and text[end - 1] in ' \t"“”‘’,':
        end -= 1
    return start, end


Quoted = tuple[int, int, Speaker]  # a quotation's [start, end) and its speaker


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


def _block_quote_lines(doc: Analysis) -> list[int]:
    """Numbers of the lines that open with "Quote Message"."""
    return [
        number
        for number in doc.lines_holding(_QUOTE_BLOCK_MARK)
        if doc.text.startswith(_QUOTE_BLOCK_MARK, doc.line_starts[number])
    ]


def _block_quotes(doc: Analysis, reader: _Reader, lines: list[int]) -> list[Quoted]:
    """Quotes from runs of "Quote Message" lines (`lines`), attributed by the line after or
    before."""
    text = doc.text
    quotes: list[Quoted] = []
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
                intro = text[intro_start:intro_end].rstrip()
                if intro.endswith(":"):
                    speaker = _speaker_before(reader, intro, intro_start) or Speaker()
        for line in run:
            line_start, line_end = doc.line_span(line)
            start, end = _trimmed(text, line_start + len(_QUOTE_BLOCK_MARK), line_end)
            if end > start and not doc.skip.overlaps(start, end):
                quotes.append((start, end, speaker))
        run = []
    return quotes


def _verbs(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """[start, end) of each verb of VERBS in text[start:end], a whole word in any case, in order.

    Past the first position they are read in the lower-cased text, unless lowering moves
    offsets ("İ") or makes an ASCII letter of another character (the Kelvin sign)."""
    end = len(text) if end is None else end
    first = _VERB.match(text, start, end)
    if first:
        yield first.span()
        start = first.end()
    part = text[start:end]
    lowered = part.lower()
    if len(lowered) != len(part) or "\u212a" in part:
        yield from (verb.span() for verb in _VERB.finditer(text, start, end))
        return
    for verb in _VERB_AFTER.finditer(lowered):
        yield start + verb.start() + 1, start + verb.end()


def _speaker_before(reader: _Reader, clause: str, clause_start: int) -> Speaker | None:
    """Speaker of the reporting clause that leads up to a quotation; None when there is none.

    The first reporting verb whose subject is a noun phrase wins ("The minister said he ...
    and added:" is the minister's); a clause whose every subject is a fragment gives Speaker().
    """
    according = _ACCORDING_TO.search(clause)
    if according and "," in according.group("subject"):
        subject = according.group("subject").rsplit(",", 1)[0]
        found = reader.speaker_from_subject(subject, clause_start + according.end())
        if found is not None:
            return found
    has_verb = False
    for verb_start, _ in _verbs(clause):
        has_verb = True
        subject = clause[:verb_start]
        if not reader.clean_subject(subject):
            continue
        found = reader.speaker_from_subject(subject, clause_start + verb_start)
        if found is not None:
            return found
    return Speaker() if has_verb else None


def _clause_after(after: str) -> tuple[str, str] | None:
    """(subject, what follows the clause) of a reporting clause that opens a text: "she said.",
    ", said Jo Bloggs, the chair." or ", Jo Bloggs, a nurse, told the BBC"."""
    lead = _LEADING_COMMA.match(after).end()
    verb_start, verb_end = next(_verbs(after, lead, lead + 170), (-1, -1))
    if verb_start < 0 or _CLAUSE_STOP.search(after, lead, verb_start):
        return None  # no verb, or none before the clause ends
    if verb_start > lead:
        return after[lead:verb_start], after[verb_end : verb_end + 3]
    if after[verb_start:verb_end].lower() not in SPEECH_VERBS:
        return None
    tail = after[verb_end:]
    stop = _CLAUSE_STOP.search(tail)
    subject = _SUBJECT_AFTER_END.split(tail[: stop.start() if stop else len(tail)], 1)[0]
    return (subject, tail[stop.start() :] if stop else "") if subject.strip() else None


def _speaker_after(doc: Analysis, reader: _Reader, quotation: Quotation) -> Speaker | None:
    """Speaker of a reporting clause after a quotation ('"...," she said'; "..., according to
    X"); None when there is none. A clause that introduces the next quotation ('She said:')
    does not look back."""
    text = doc.text
    after = text[quotation.mark_end : quotation.mark_end + 200].split("\n")[0]
    sentence_end = _SENTENCE_END.search(after)
    if sentence_end:
        after = after[: sentence_end.start() + 1]
    last_inside = text[quotation.end - 1 : quotation.end] if quotation.end > quotation.start else ""
    continues = last_inside in ",!?" or after.startswith(",") or after.lstrip()[:1].islower()
    clause = _clause_after(after) if quotation.end < quotation.mark_end else None
    if clause is not None:
        subject, rest = clause
        if (continues or rest.startswith(".")) and not rest.lstrip().startswith(":"):
            return reader.speaker_from_subject(subject, quotation.mark_end)
    according = _ACCORDING_TO.search(after)
    if according:
        return reader.speaker_from_subject(
            according.group("subject"), quotation.mark_end + according.end()
        )
    return None


def _speaker_of_sentence_before(doc: Analysis, reader: _Reader, position: int) -> Speaker | None:
    """Speaker of the reporting clause in the sentence just before a quotation that opens a
    sentence: in its paragraph ('The offer is fair, he insisted. "We have done all we can."'),
    or closing the paragraph before when the quotation opens its own paragraph. A sentence that
    quotes someone itself is left to the quotations' own attribution."""
    sentence = doc.sentence_at(position)
    index = doc.sentence_index(sentence) if sentence else 0
    if index == 0:
        return None
    before = doc.sentences[index - 1]
    if doc.line_number(before.end) < sentence.line - 2:
        return None  # more than a blank line between them
    text = doc.text[before.start : before.end]
    if any(mark in text for mark in '"“”'):
        return None
    found = _speaker_before(reader, text, before.start)
    return found if found and (found.name or found.role) else None


def _attribution_below(doc: Analysis, line_number: int) -> Speaker | None:
    """Speaker from a line that only names a person, under a paragraph that is one quotation."""
    for number in range(line_number + 1, min(line_number + 3, len(doc.line_starts))):
        line = doc.text[slice(*doc.line_span(number))].strip()
        if line:
            return _attribution_line(line)
    return None


def _inline_quotes(doc: Analysis, reader: _Reader) -> list[Quoted]:
    """Quotes in prose between quote marks, with the speaker of their reporting clause."""
    text = doc.text
    quotes: list[Quoted] = []
    previous: tuple[int, int, Speaker] | None = None  # line, closing mark, speaker of the last
    for quotation in doc.quotations:
        line_number = doc.line_number(quotation.mark_start)
        line_start = doc.line_starts[line_number]
        if text.startswith(_QUOTE_BLOCK_MARK, line_start):
            continue
        start, end = _trimmed(text, quotation.start, quotation.end)
        too_short = len(text[start:end].split(None, MIN_QUOTE_WORDS)) < MIN_QUOTE_WORDS
        if too_short or doc.skip.overlaps(start, end):
            continue
        sentence = doc.sentence_at(quotation.mark_start)
        sentence_start = sentence.start if sentence else line_start
        clause_start = max(sentence_start, line_start)
        same_sentence = previous is not None and previous[1] > clause_start
        if same_sentence:
            clause_start = previous[1]
        speaker = _speaker_before(reader, text[clause_start : quotation.mark_start], clause_start)
        if speaker is None or not (speaker.name or speaker.role):
            speaker = _speaker_after(doc, reader, quotation) or speaker
        if same_sentence and (speaker is None or not (speaker.name or speaker.role)):
            speaker = previous[2]  # 'X called it "A" and "B"', '"A," she said, adding: "B"'
        opens_paragraph = not text[line_start : quotation.mark_start].strip()
        if speaker is None and not text[clause_start : quotation.mark_start].strip():
            speaker = _speaker_of_sentence_before(doc, reader, quotation.mark_start)
        if speaker is None and previous is not None:
            same_paragraph = line_number == previous[0]
            next_paragraph = opens_paragraph and line_number - previous[0] <= 2  # blank line or not
            if same_paragraph or next_paragraph:
                speaker = previous[2]
        if (
            speaker is None
            and opens_paragraph
            and not text[quotation.mark_end : doc.line_span(line_number)[1]].strip()
        ):
            speaker = _attribution_below(doc, line_number)
        speaker = speaker or Speaker()
        reader.remember(speaker, quotation.mark_start)
        previous = (line_number, quotation.mark_end, speaker)
        quotes.append((start, end, speaker))
    return quotes


def _one_speaker_per_person(text: str, quoted: list[Quoted], reader: _Reader) -> list[Quote]:
    """Quotes whose named speaker lacks a role and organisation take those the article gives
    that speaker elsewhere: in another quotation's clause or as a title before the name."""
    identity: dict[str, tuple[str | None, str | None]] = {}
    for _, _, speaker in quoted:
        if (
            speaker.name
            and speaker.name != speaker.organisation
            and (speaker.role or speaker.organisation)
        ):
            identity.setdefault(speaker.name, (speaker.role, speaker.organisation))
    quotes = []
    for start, end, speaker in quoted:
        role, organisation = speaker.role, speaker.organisation
        if speaker.name and not role and not organisation:
            if speaker.name not in identity:
                identity[speaker.name] = reader.role_given(speaker.name) or (None, None)
            role, organisation = identity[speaker.name]
        quote = Quote(
            char_start=start,
            char_end=end,
            speaker=speaker.name,
            speaker_role=role,
            organisation=organisation,
            quote=text[start:end],
        )
        quotes.append(quote)
    return quotes


def extract_quotes(doc: Analysis, found: Found) -> list[Quote]:
    """Quotations in a text with speaker, role, organisation and offsets, in text order."""
    del found  # quotes read no other fact type
    block_lines = _block_quote_lines(doc)
    if not doc.quotations and not block_lines:
        return []  # nothing quoted: the people of the text need not be read
    reader = _Reader(doc)
    quoted = _block_quotes(doc, reader, block_lines)
    reader.known.clear()  # block attributions and prose attributions are read apart
    reader.last_speaker = None
    quoted += _inline_quotes(doc, reader)
    quotes = _one_speaker_per_person(doc.text, quoted, reader)
    return sorted(quotes, key=lambda quote: quote.char_start)


FACT_TYPE = FactType(
    name="quote",
    table="quotes",
    record=Quote,
    extract=extract_quotes,
    colour="#ff7f0e",
)
