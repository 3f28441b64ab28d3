"""Answer options of poll questions as English news names them, and what their object makes of
them.

`stances_in(doc, sentence)` finds every phrase that names an answer option in a sentence:
support and oppose (and their strong and weak forms), don't know, neither, blame (of the
government, the unions, the strikers, or both), justified, right or wrong to strike, sympathy,
accepting or rejecting an offer, turnout, "done all it can", handling and negotiating, "would
resign". The words after a phrase decide what it names: "support the right to strike" is
other:back_right_to_strike, "in favour of action short of a strike" other:action_short_of_strike,
"backed the offer" other:accept_offer, "sympathise more with stranded passengers"
other:sympathize_disrupted; "support the plans", "approve of unions" and "support staff" name no
answer about the strike. The vocabularies are in polls.toml and groups.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from strikewatch.extract import scanning
from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.lexicon import lexicon

_PHRASES = lexicon("stance_phrases")
SIDES = {
    "govt": rf"(?:the\s+)?{lexicon('government_side').pattern()}",
    "unions": rf"(?:the\s+)?{lexicon('unions_side').pattern()}",
    "strikers": rf"(?:the\s+)?(?:{lexicon('strikers_side').pattern()}"
    rf"|{lexicon('staff_groups').pattern()})",
}
_BLAME_WORD = lexicon("blame_words").pattern()
_AT_FAULT = (
    r"(?:is|are|was|were)?\s*(?:the\s+)?(?:most|more|mainly|mostly|largely|chiefly|primarily)?"
    r"\s*(?:to\s+blame|at\s+fault|responsible)"
)


def _phrase(label: str) -> str:
    return rf"\b{_PHRASES.pattern(labels=(label,))}\b"


def _blame(side: str) -> str:
    return (
        rf"\b{_BLAME_WORD}\s+(?:mainly\s+|mostly\s+|largely\s+)?{side}\b"
        rf"|\b{side}(?:'s|')?\s+{_AT_FAULT}\b|\b{side}(?:'s|')\s+fault\b"
    )


_AGENT = "|".join(rf"(?P<{name}>{pattern})" for name, pattern in SIDES.items())


def _shortest(words: Iterable[str]) -> tuple[str, ...]:
    """The words that do not begin with another of them: wherever one of the words stands, one
    of these does."""
    kept: list[str] = []
    for word in sorted({word.lower() for word in words}):  # a word sorts after its beginnings
        if not any(word.startswith(shorter) for shorter in kept):
            kept.append(word)
    return tuple(kept)


def _first_words_of(*lexicons: str) -> tuple[str, ...]:
    return _shortest(word for name in lexicons for word in lexicon(name).first_words())


def _phrase_openings(label: str) -> tuple[str, ...]:
    return _shortest(phrase.split()[0] for phrase in _PHRASES.with_label(label))


_BLAME_OPENINGS = _first_words_of("blame_words")
_SIDE_OPENINGS = {  # "the" for the article a side may open with
    "govt": _shortest(("the", *_first_words_of("government_side"))),
    "unions": _shortest(("the", *_first_words_of("unions_side"))),
    "strikers": _shortest(("the", *_first_words_of("strikers_side", "staff_groups"))),
}
BLAME_TRIGGERS = ("blam", "fault", "responsib")


def _stance(
    measure: str, pattern: str, triggers: tuple[str, ...], openings: tuple[str, ...] = ()
) -> tuple[str, re.Pattern[str], tuple[str, ...], re.Pattern[str]]:
    """An answer option as (measure, phrase pattern, words one of which the phrase holds: a
    sentence without any of them is not searched for it, since most sentences name no answer
    at all; and the words one of which every match opens with, in some case: the pattern is
    tried only where one of them stands). A phrase of the lexicon opens with the first word of
    one of its label's phrases."""
    opens = _shortest(openings) if openings else _phrase_openings(measure)
    return measure, re.compile(pattern, re.IGNORECASE), triggers, scanning.openings(opens)


_STANCES: list[tuple[str, re.Pattern[str], tuple[str, ...], re.Pattern[str]]] = [
    _stance(*entry)
    for entry in [
        ("strongly_support", _phrase("strongly_support"), ("strongly",)),
        ("strongly_oppose", _phrase("strongly_oppose"), ("strongly",)),
        ("other:tend_to_support", _phrase("other:tend_to_support"), ("tend",)),
        ("other:tend_to_oppose", _phrase("other:tend_to_oppose"), ("tend",)),
        ("other:somewhat_support", _phrase("other:somewhat_support"), ("somewhat",)),
        ("other:somewhat_oppose", _phrase("other:somewhat_oppose"), ("somewhat",)),
        ("other:neither", _phrase("other:neither"), ("neither",)),
        ("dont_know", _phrase("dont_know"), ("know", "sure", "uncertain", "opinion")),
        (
            "blame_both",
            rf"\b{_BLAME_WORD}\s+both\b|\bboth\b[\w\s]{{0,30}}?\bto\s+blame\b"
            r"|\bequally\s+(?:to\s+blame|at\s+fault|responsible)\b",
            BLAME_TRIGGERS,
            _shortest((*_BLAME_OPENINGS, "both", "equally")),
        ),
        (
            "blame_government",
            _blame(SIDES["govt"]),
            BLAME_TRIGGERS,
            _shortest((*_BLAME_OPENINGS, *_SIDE_OPENINGS["govt"])),
        ),
        (
            "other:blame_unions",
            _blame(SIDES["unions"]),
            BLAME_TRIGGERS,
            _shortest((*_BLAME_OPENINGS, *_SIDE_OPENINGS["unions"])),
        ),
        (
            "blame_doctors",
            _blame(SIDES["strikers"]),
            BLAME_TRIGGERS,
            _shortest((*_BLAME_OPENINGS, *_SIDE_OPENINGS["strikers"])),
        ),
        ("other:unjustified", _phrase("other:unjustified"), ("justif",)),
        ("other:justified", _phrase("other:justified"), ("justif",)),
        ("other:wrong_to_strike", _phrase("other:wrong_to_strike"), ("strike", "walk")),
        ("other:right_to_strike", _phrase("other:right_to_strike"), ("strike", "walk")),
        ("other:no_sympathy", _phrase("other:no_sympathy"), ("sympath",)),
        (
            "sympathy",
            _phrase("other:sympathy") + r"(?:(?:\s+more)?\s+with\b)?",
            ("sympath",),
            _phrase_openings("other:sympathy"),
        ),
        ("other:accept_offer", _phrase("other:accept_offer"), ("accept",)),
        ("other:reject_offer", _phrase("other:reject_offer"), ("reject",)),
        (
            "other:turnout",
            _phrase("other:turnout"),
            ("turn", "voting percentage", "particip"),
        ),
        (
            "done_all",
            r"\bdone\s+\"?(?:all|everything)\s+(?P<pronoun>it|they|he|she|we)\s+"
            r"(?P<modal>can|could)\b",
            ("done",),
            ("done",),
        ),
        (
            "handling",
            r"\b(?P<verdict>good|great|poor|bad|terrible)\s+job\s+(?:of\s+)?(?P<task>negotiating"
            r"|handling)\b|\bhandl(?:ing|ed)\s+(?:(?:the\s+|this\s+)?(?:strikes?|dispute|talks"
            r"|negotiations|situation)|them|it)\s+(?P<how>well|badly|poorly)\b"
            r"|\b(?P<approval>approv|disapprov)\w*\s+(?:of\s+)?(?:the\s+way\s+|how\s+)?"
            r"(?:the\s+)?(?:[\w'-]+\s+){0,2}?(?:handling|handles|handled|is\s+handling)\b",
            ("handl", "job"),
            ("good", "great", "poor", "bad", "terrible", "handl", "approv", "disapprov"),
        ),
        (
            "would",
            rf"\bwould\s+(?P<not>not\s+)?(?:consider\s+)?"
            rf"(?P<act>{lexicon('would_acts').pattern()})\w*",
            ("would",),
            ("would",),
        ),
        (
            "oppose",
            _phrase("oppose"),
            ("oppos", "not", "n't", "against", "disapprov", "no vote", "voted no", "voting no"),
        ),
        (
            "support",
            r"\bvot(?:ed|ing|es?)\b(?:\s+(?!against\b|no\b)[\w'-]+){0,3}?\s+(?:to\s+(?:strike|take"
            r"|walk|continue|authori[sz]e|back|support)|for|in\s+favou?r|yes)\b"
            r"|\bauthori[sz]ed\s+by\b",
            ("vot", "authori"),
            ("vot", "authori"),
        ),
        (
            "support",
            _phrase("support"),
            ("support", "back", "favo", "approv", "endors", "yes"),
        ),
    ]
]

_POLICY = re.compile(
    r"^\s+(?:of\s+|for\s+)?(?:the\s+|a\s+|an\s+|their\s+|its\s+)?(?:[\w'-]+\s+){0,3}?"
    rf"{lexicon('policy_objects').pattern()}\b",
    re.IGNORECASE,
)
_UNIONS_OBJECT = re.compile(r"\s+of\s+(?:labou?r\s+|trade\s+)?unions\b", re.IGNORECASE)
_POLICY_WORD = re.compile(rf"\b{lexicon('policy_objects').pattern()}\b", re.IGNORECASE)
_NOT_STANCE_AFTER = {
    "don": re.compile(
        r"^\s+(?:much|enough|about|what|how|why|whether|if|who|where|when|anything|that)\b",
        re.IGNORECASE,
    ),
    "do ": re.compile(r"^\s+(?:much|enough|about|what|how|why|whether|if|who|anything)\b", re.I),
    "support": re.compile(r"^\s+(?:staff|workers|services|roles?)\b", re.IGNORECASE),
    "back": re.compile(
        r"^\s+(?:in|to|from|on|at|then|home|down|up|out|off|into|of|a\s+(?:week|month|year))\b",
        re.IGNORECASE,
    ),
}
_RIGHT_TO_STRIKE = re.compile(
    r"^\s+(?:the\s+|their\s+)?rights?\s+(?:of\s+(?:[\w'-]+\s+){1,3}?)?to\s+(?:take\s+)?"
    r"(?:strike|industrial\s+action|walk\s+out)",
    re.IGNORECASE,
)
_SHORT_OF_STRIKE = re.compile(
    r"^\s+(?:of\s+)?(?:taking\s+)?(?:industrial\s+)?action\s+short\s+of\s+(?:a\s+)?strike", re.I
)
_OFFER = re.compile(r"^\s+(?:the\s+|their\s+|a\s+)?(?:[\w'-]+\s+){0,2}?(?:offer|deal)\b", re.I)
_VOTE_ON_OFFER = re.compile(
    r"\b(?:to|on\s+whether\s+to)\s+accept\b[^.;]{0,40}?\b(?:offer|deal)\b", re.I
)
_SYMPATHY_OBJECT = {
    "other:sympathize_disrupted": re.compile(
        rf"\b{lexicon('disrupted_side').pattern()}\b", re.IGNORECASE
    ),
    "other:sympathize_workers": re.compile(
        rf"\b(?:{lexicon('taking_action_side').pattern()}|{lexicon('staff_groups').pattern()})\b",
        re.IGNORECASE,
    ),
}
BY_AFTER = re.compile(r"\s+by\b", re.IGNORECASE)

_SIDE_LABEL = {
    "blame_both": r"both(?:\s+sides)?(?:\s+equally)?",
    "blame_government": SIDES["govt"],
    "other:blame_unions": SIDES["unions"],
    "blame_doctors": SIDES["strikers"],
}
SIDE_AFTER = re.compile(
    r"\W{0,3}(?:(?:say|said|says|named?|blamed?|picked?|chose|choose)\s+)?(?:the\s+)?"
    r"(?:(?!than\b|or\b|and\b|with\b|but\b|while\b)[\w'-]+\s+){0,2}?(?:"
    + "|".join(rf"(?P<{name.split(':')[-1]}>{pattern})" for name, pattern in _SIDE_LABEL.items())
    + r")\b",
    re.IGNORECASE,
)
SIDE_BEFORE = re.compile(
    r"(?:"
    + "|".join(rf"(?P<{name.split(':')[-1]}>{pattern})" for name, pattern in _SIDE_LABEL.items())
    + r")\s*\(\s*$",
    re.IGNORECASE,
)
BLAME_QUESTION = re.compile(
    rf"\b(?:{_BLAME_WORD}|to\s+blame|at\s+fault|responsible|responsibility)\b", re.IGNORECASE
)


def side_named(match: re.Match[str] | None) -> str | None:
    """The blame answer a side label names ("the government" -> blame_government)."""
    if match is None:
        return None
    for measure in _SIDE_LABEL:
        if match.group(measure.split(":")[-1]):
            return measure
    return None


_OPPOSITES = {
    "support": "oppose",
    "strongly_support": "strongly_oppose",
    "other:justified": "other:unjustified",
    "other:sympathy": "other:no_sympathy",
    "other:back_right_to_strike": "other:oppose_right_to_strike",
    "other:accept_offer": "other:reject_offer",
    "other:right_to_strike": "other:wrong_to_strike",
}
_OPPOSITES.update({value: key for key, value in list(_OPPOSITES.items())})


@dataclass(frozen=True)
class Stance:
    """An answer option named in the text: its measure and the words that name it."""

    measure: str | None  # None: the words name something that is not an answer here
    start: int
    end: int


_NEGATIVE = {
    "oppose",
    "strongly_oppose",
    "other:unjustified",
    "other:no_sympathy",
    "other:oppose_right_to_strike",
    "other:reject_offer",
    "other:wrong_to_strike",
}
INTENSE = {
    ("strongly", "support"): "strongly_support",
    ("strongly", "oppose"): "strongly_oppose",
    ("somewhat", "support"): "other:somewhat_support",
    ("somewhat", "oppose"): "other:somewhat_oppose",
    ("tend_to", "support"): "other:tend_to_support",
    ("tend_to", "oppose"): "other:tend_to_oppose",
}


def opposite(measure: str) -> str | None:
    """The answer that denies a measure ("support" -> "oppose"), if it has one."""
    if measure in _OPPOSITES:
        return _OPPOSITES[measure]
    if "_not_" in measure:
        return measure.replace("_not_", "_", 1)
    if measure.startswith("other:would_"):
        return measure.replace("would_", "would_not_", 1)
    if measure.startswith(("other:govt_", "other:unions_", "other:strikers_")):
        side, rest = measure.split("_", 1)
        return f"{side}_not_{rest}"
    return None


def is_negative(measure: str) -> bool:
    return measure in _NEGATIVE or "_not_" in measure


def _agent(text: str) -> str | None:
    """The side of a dispute last named in a stretch of text."""
    found = None
    for match in re.finditer(_AGENT, text, re.IGNORECASE):
        found = next(name for name, value in match.groupdict().items() if value)
    return found


def sympathy_object(words: str) -> str | None:
    """Whom "sympathise with ..." names first: those taking action, or those it disrupts."""
    found = [
        (match.start(), label)
        for label, pattern in _SYMPATHY_OBJECT.items()
        if (match := pattern.search(words[:60]))
    ]
    return min(found)[1] if found else None


def _measure(doc: Analysis, sentence: Sentence, measure: str, match: re.Match[str]) -> str | None:
    """The answer a matched stance phrase names, read with its object; None when the object
    makes it no answer about the strike ("support the plans", "support staff")."""
    text = doc.norm
    after = text[match.end() : min(sentence.end, match.end() + 60)]
    word = match.group(0).lower()
    if measure == "dont_know":
        blocked = any(word.startswith(k) and p.match(after) for k, p in _NOT_STANCE_AFTER.items())
        return None if blocked else measure
    if measure in ("support", "oppose", "strongly_support", "strongly_oppose"):
        for start, pattern in _NOT_STANCE_AFTER.items():
            if word.startswith(start) and pattern.match(after):
                return None
        if BY_AFTER.match(after):  # "the offer was backed by 60%": the subject is the object
            subject = text[max(sentence.start, match.start() - 50) : match.start()]
            if re.search(r"\b(?:offer|deal)\b", subject, re.IGNORECASE):
                return "other:accept_offer" if "support" in measure else "other:reject_offer"
            if _POLICY_WORD.search(subject):
                return None
            return measure
        if _RIGHT_TO_STRIKE.match(after):
            return (
                "other:back_right_to_strike"
                if "support" in measure
                else ("other:oppose_right_to_strike")
            )
        if measure == "support" and _SHORT_OF_STRIKE.match(after):
            return "other:action_short_of_strike"
        if _OFFER.match(after) or (
            measure == "support"
            and not re.match(r"\s+(?:of\s+)?\w", after)
            and _VOTE_ON_OFFER.search(doc.norm, sentence.start, match.start())
        ):
            return "other:accept_offer" if "support" in measure else "other:reject_offer"
        if _POLICY.match(after) or (word.startswith("approv") and _UNIONS_OBJECT.match(after)):
            return None  # a view of a policy, or of unions in general (an approval rating)
        return measure
    if measure == "sympathy":
        if word.endswith("with"):
            return sympathy_object(re.split(r"\(|\bthan\b", after)[0])
        return "other:sympathy"
    if measure == "would":
        act = match.group("act").lower()
        return f"other:would_not_{act}" if match.group("not") else f"other:would_{act}"
    before = text[sentence.start : match.start()]
    if measure == "done_all":
        side = _agent(before)
        if side is None:
            return None
        denied = re.search(r"\b(?:not|never)\b|n't\b", before[-60:], re.IGNORECASE)
        pronoun, modal = match.group("pronoun").lower(), match.group("modal").lower()
        return f"other:{side}_{'not_' if denied else ''}done_all_{pronoun}_{modal}"
    if measure == "handling":
        side = _agent(before)
        if side is None and not match.group("approval"):
            return None
        if match.group("approval"):
            side = _agent(text[sentence.start : match.end()])
            if side is None:
                return None
            return f"other:{match.group('approval').lower()}e_{side}_handling"
        if match.group("verdict"):
            good = match.group("verdict").lower() in ("good", "great")
            return f"other:{side}_{'good' if good else 'bad'}_job_{match.group('task').lower()}"
        return f"other:{side}_handling_{'well' if match.group('how') == 'well' else 'badly'}"
    return measure


_TRIGGERS = frozenset(word for _, _, triggers, _ in _STANCES for word in triggers)
# the stances each trigger word may open, and those that need none (looked for everywhere)
_BY_TRIGGER = {
    word: frozenset(i for i, (_, _, triggers, _) in enumerate(_STANCES) if word in triggers)
    for word in _TRIGGERS
}
_UNTRIGGERED = frozenset(i for i, (_, _, triggers, _) in enumerate(_STANCES) if not triggers)


def stances_in(doc: Analysis, sentence: Sentence) -> list[Stance]:
    """Every answer option a sentence names, in order; a phrase inside a longer one is left out."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    lowered = doc.norm[sentence.start : sentence.end].lower()
    candidates = set(_UNTRIGGERED)  # each trigger word looked for once
    for word in _TRIGGERS:
        if word in lowered:
            candidates |= _BY_TRIGGER[word]
    for index in sorted(candidates):
        measure, pattern, _, opening = _STANCES[index]
        for match in scanning.matches_opening(
            pattern, doc.norm, doc.folded, sentence.start, sentence.end, opening
        ):
            found.append((match.start(), -match.end(), measure, match))
    found.sort(key=lambda item: (item[0], item[1]))
    kept: list[Stance] = []
    reach = -1
    for start, negative_end, measure, match in found:
        if -negative_end <= reach:
            continue  # inside a longer phrase already kept
        kept.append(Stance(_measure(doc, sentence, measure, match), start, -negative_end))
        reach = -negative_end
    return kept


def label_measure(label: str) -> str | None:
    """The answer a chart's header names ("% support" -> support), if it is a plain one."""
    for measure, pattern, _, _ in _STANCES:
        if measure in ("support", "oppose", "dont_know", "other:turnout") and pattern.search(label):
            return measure
    return None
