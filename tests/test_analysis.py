"""The document analysis beyond sentence -> items (those are in tests/cases/): figures written
alone, sentences and clauses, skip spans, and the candidate-start scans matching full scans."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import random
import re
from pathlib import Path

import pytest

from strikewatch.extract import Analysis, analysis, dates, extract_facts, numbers
from strikewatch.extract.numbers import parse_number, scan_quantities
from strikewatch.extract.spans import Spans
from strikewatch.lexicon import lexicon
from strikewatch.scoreboard import shared_dir
from strikewatch.textnorm import lower_same_length, normalize

PUBLISHED = dt.date(2016, 4, 26)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("100,000", 100_000),
        ("89 000", 89_000),
        ("12, 800", 12_800),
        ("13.5%", 13.5),
        ("64 per cent", 64),
        ("three hundred", 300),
        ("twenty-five", 25),
        ("a quarter", 25),
        ("half", 50),
        ("two-thirds", 66.7),
        ("one in five (18%)", 18),
        ("more than half (54%)", 54),
        ("just over 15,800", 15_800),
        ("nearly 40%", 40),
        ("2.5m", 2_500_000),
        ("1.1million", 1_100_000),
        ("1.2 million", 1_200_000),
        ("half a million", 500_000),
        ("three quarters of a million", 750_000),
        ("nine out of 10", 90),
    ],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize("written", ["the strike", "", "12 operations", "five in three"])
def test_parse_number_rejects_what_is_not_one_figure(written: str) -> None:
    assert parse_number(written) is None


def test_sentences_and_clauses() -> None:
    text = "• NHS England said 38% turned up. Hospitals coped, it said; pickets left."
    doc = Analysis.of(text, PUBLISHED)
    assert [text[s.start : s.end] for s in doc.sentences] == [
        "NHS England said 38% turned up.",
        "Hospitals coped, it said; pickets left.",
    ]
    position = text.index("it said")
    start, end = doc.clause_around(doc.sentences[1], position, position + 2)
    assert text[start:end] == "it said"
    assert doc.sentence_at(position) == doc.sentences[1]


def test_lines_holding_a_phrase() -> None:
    text = (
        "Quote Message: Nurses walked out.\n"
        "The health secretary said talks were over; the Health Secretary, Jo Bloggs, agreed.\n"
        "No quote here, and none said Quote Message.\n"
        "Health Secretary Jo Bloggs spoke again?"
    )
    doc = Analysis.of(text, PUBLISHED)
    assert doc.lines_holding("Quote Message") == [0, 2]
    assert doc.lines_holding("Jo Bloggs") == [1, 3]
    assert doc.lines_holding("health secretary") == [1]
    assert doc.lines_holding("health secretary", any_case=True) == [1, 3]
    assert doc.lines_holding("?") == [3]
    assert doc.lines_holding("Unison") == []


def test_mentions_in_skip_spans_are_left_out_and_offsets_kept() -> None:
    text = "Updated 26 April 2016 strike: 300 people rallied.\nOn 27 April, 400 people struck."
    furniture = (0, text.index(":") + 1)
    doc = Analysis.of(text, PUBLISHED, [furniture])
    assert [text[q.char_start : q.char_end] for q in doc.quantities] == ["300", "400"]
    assert [d.start for d in doc.dates] == [dt.date(2016, 4, 27)]
    assert doc.terms_in("strike_terms", 0, furniture[1]) == []  # "strike" lies in the furniture
    assert "months" not in doc.terms  # a lexicon rules only build patterns from


def test_a_phrase_starting_in_a_skip_span_still_covers_those_inside_it() -> None:
    text = "Ward 4 remained open today."
    opening = text.index("remained")
    assert [
        text[t.start : t.end] for t in Analysis.of(text, PUBLISHED).terms["not_cancelled_words"]
    ] == ["remained open"]
    skipped = Analysis.of(text, PUBLISHED, [(opening, opening + 3)])
    assert skipped.terms["not_cancelled_words"] == []  # "open" lies inside "remained open"


def _phrases_ending_in_phrases() -> list[str]:
    """Phrases of term lexicons whose last words are a phrase of the same lexicon too."""
    found = []
    for name in analysis._term_lexicons():
        phrases = {phrase.lower() for phrase in lexicon(name).labels}
        for phrase in lexicon(name).labels:
            words = phrase.split()
            if any(" ".join(words[i:]).lower() in phrases for i in range(1, len(words))):
                found.append(phrase)
    return found


def test_terms_found_with_skip_spans_are_those_found_without_that_start_outside_them() -> None:
    nested = _phrases_ending_in_phrases()
    assert nested, "no phrase holds another: the covering rule goes untested"
    pieces = [*nested[:40], "strike", "walk-out", "NHS England", " ", "\n", ".", ",", "4"]
    rng = random.Random(11)
    for _ in range(400):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 12))
        )
        starts = [rng.randrange(len(text)) for _ in range(rng.randint(0, 3))]
        skip = [(start, start + rng.randint(1, 12)) for start in starts]
        whole = Analysis.of(text, PUBLISHED).terms
        skipped = Analysis.of(text, PUBLISHED, skip).terms
        start_of = operator.attrgetter("start")
        expected = {name: Spans(skip).outside(found, start_of) for name, found in whole.items()}
        assert skipped == expected, (text, skip)


def test_holds_any_finds_the_strings_that_lie_wholly_in_the_span() -> None:
    rng = random.Random(12)
    words = ["day", "days", "Day", "DAY", "asked", "ask", "sk", "vote", "vot", "\u017fame", "same"]
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        doc = Analysis.of(text, PUBLISHED)
        strings = tuple(
            rng.sample(["day", "ask", "vot", "same", "s", "x", "days", "ed"], rng.randint(1, 8))
        )
        start, end = sorted(rng.randint(0, len(text)) for _ in range(2))
        plain = re.search("|".join(map(re.escape, strings)), doc.folded[start:end])
        assert doc.holds_any(strings, start, end) == bool(plain), (text, strings, start, end)


def test_a_fact_starting_in_a_skip_span_is_dropped_and_others_kept() -> None:
    text = "Trusts cancelled 5,000 operations. Trusts cancelled 700 scans."
    first = text.index(".") + 1
    facts = extract_facts(Analysis.of(text, PUBLISHED, [(0, first)]))
    assert [f.value for f in facts["cancellations"]] == [700]


def test_a_long_text_without_line_breaks_is_read_whole() -> None:
    text = "Some 1,000 operations were cancelled on the day. " * 20_000
    assert len(Analysis.of(text, PUBLISHED).quantities) == 20_000


TRICKY = [
    "Nearly 40 operations, ABOUT a third of them, and \u017fome 12 more were cancelled.",
    "More than two-thirds (68%) of 1,200 staff; \u0130n excess of 300 beds were empty.",
    "At 8am, 12noon and 0800 half of them said 3/4; twenty-five 5m \u00a37bn in 2016.",
    "\u0131n March, on Mondays, mid-March and the 26th of January, doctors walked out.",
    "From 8am on Tuesday 26 April until 5pm; last night and early June; 26/04/2016.",
    "LAST MONTH and earlier this year, by 2017 or since March 6 & 9 2024.",
    "from January 22, until April 3. Tuesday (14 May) at 6.30am; midnight on Nov. 8",
    "No trains ran, half a million were late and one driver, 2,310, stayed 45 per\ncent.",
    "At the end of the year, mid- March and In\nMarch, as many as 12 and in excess of 40 left.",
    "The beginning of this year; until Friday; On the 3rd; at least one in four; up to 9.",
]


@pytest.mark.parametrize("text", TRICKY)
def test_scans_at_candidate_starts_find_what_full_scans_find(text: str) -> None:
    """The analysis tries figure and date patterns only at likely word starts; trying every
    position must find nothing more."""
    doc = Analysis.of(text, PUBLISHED)
    everywhere = range(len(doc.norm))
    assert doc.quantities == list(scan_quantities(doc.norm, everywhere))
    assert doc.dates == list(dates.scan_dates(doc.norm, PUBLISHED, everywhere))
    assert doc.times == list(dates.scan_times(doc.norm, everywhere))
    assert doc.durations == list(dates.scan_durations(doc.norm, everywhere))


def test_words_that_open_figures_dates_and_times_begin_with_a_letter() -> None:
    """In an ASCII text they never start where a digit does, so their starts and the digits'
    are merged without removing repeats (analysis._candidate_starts)."""
    words = numbers.FIGURE_FIRST_WORDS | dates.DATE_OPENING_WORDS | set(dates.TIME_WORDS)
    assert all(word[:1].isalpha() for word in words)


# The plain patterns that the analysis's faster scans must agree with.
PLAIN_SENTENCE_END = re.compile(
    r"[.!?][\"')]*\s+(?=[\"'(]?[A-Z0-9£])|\n+(?![^\S\n]*[a-z])|(?<=[a-z)'\"])(?=published at \d)"
    r"|(?<=\d{4})(?=[A-Z])"
)
PLAIN_CLAUSE_BREAK = re.compile(r"[,;:()]\s|\s-\s|\"")
PLAIN_QUOTED = re.compile(
    r'(?<![\w"])"(?P<straight>[^"\n]+)(?:"|$)|“(?P<curly>[^”\n]+)(?:”|$)'
    r"|(?<![\w‘])‘(?P<single>[^\n]+?)(?:’(?![a-z])|$)",
    re.MULTILINE,
)
# Characters the patterns turn on, with words, digits and a stamp glued to a sentence.
PIECES = [" ", "  ", "\n", "\n\n", ".", "!", "?", ",", ";", ":", "(", ")", "-", " - ", '"', "'",
          "“", "”", "‘", "’", "£", "a", "Word", "word", "2016", "7", "published at 9"]  # fmt: skip


def _random_texts(count: int) -> list[str]:
    rng = random.Random(9)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def test_fast_scans_find_what_the_plain_patterns_find() -> None:
    for text in _random_texts(3000):
        spans = [match.span() for match in PLAIN_SENTENCE_END.finditer(text)]
        capitals_after_years = analysis._digit_runs(text)[1]
        assert analysis._sentence_ends(text, capitals_after_years) == spans, text
        assert analysis._clause_breaks(text) == [
            match.span() for match in PLAIN_CLAUSE_BREAK.finditer(text)
        ], text
        assert [m.span() for m in analysis._QUOTED.finditer(text)] == [
            m.span() for m in PLAIN_QUOTED.finditer(text)
        ], text


# Plain tests on the text before a figure that numbers.py makes at one place or after a cheap test.
PLAIN_LABEL_BEFORE = re.compile(
    rf"\b{lexicon('label_words').pattern()}\s$|[A-Za-z]-$|[£$€]\s?$|\+$|\d[ -]$|\d,\s$|\baged\s$"
)
PLAIN_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
BEFORE_PIECES = ["Ward", "No", "No.", "tel.", "telephone", "Platform", "NHS", "aged", "xNHS", "B",
                 "-", "£", "$", "€", "+", "7", ",", " ", "  ", "\t", "\n", "word", "."]  # fmt: skip


def test_endings_before_a_figure_agree_with_the_plain_patterns() -> None:
    rng = random.Random(11)
    for _ in range(5000):
        before = "".join(rng.choice(BEFORE_PIECES) for _ in range(rng.randint(0, 6)))
        plain = bool(PLAIN_LABEL_BEFORE.search(before))
        assert numbers._ends_with(numbers._LABEL_BEFORE, before) == plain, before
        assert numbers._opens_its_line(before) == bool(PLAIN_LINE_START.search(before)), before


AFTER_PIECES = [" ", "  ", "bn", "m", "million", "pounds", "am", "PM", "BST", "gmt", ":30",
                ".15", "th", " of", " May", " march", "June", "-", " to ", "2", "x", "\n",
                "\u212a"]  # fmt: skip


def test_one_pattern_after_a_figure_is_the_three_it_stands_for() -> None:
    rng = random.Random(13)
    for _ in range(5000):
        after = "".join(rng.choice(AFTER_PIECES) for _ in range(rng.randint(0, 5)))
        each = [numbers._MONEY_AFTER, numbers._TIME_AFTER, numbers._DATE_AFTER]
        expected = any(pattern.match(after) for pattern in each)
        assert bool(numbers._MONEY_TIME_OR_DATE_AFTER.match(after)) == expected, after


def test_skip_spans_drop_what_starts_inside_them() -> None:
    rng = random.Random(3)
    for _ in range(5000):
        starts = (rng.randint(0, 40) for _ in range(rng.randint(0, 5)))
        skip = Spans([(start, start + rng.randint(0, 6)) for start in starts])
        positions = sorted(rng.randint(0, 50) for _ in range(rng.randint(0, 8)))
        kept = [position for position in positions if not skip.contains(position)]
        assert skip.outside(positions, int) == kept, (skip.starts, skip.ends, positions)


def test_national_scope_wording_is_found_as_terms() -> None:
    text = (
        "Porters walked out nationwide on Friday, and the union called a\n"
        "national day of action for June; in the city, the strike was a national one."
    )
    doc = Analysis.of(text, PUBLISHED)
    found = [text[term.start : term.end] for term in doc.terms["national_scope"]]
    assert found == ["nationwide", "national day of action"]
    assert Analysis.of("Porters in Leeds walked out.", PUBLISHED).terms["national_scope"] == []


def test_capitalised_runs_are_names_titles_and_initials() -> None:
    text = (
        "Union leader Amira Castellanos said Dr R. Obi told Mr O'Hare the Town Hall talks failed."
    )
    runs = [text[start:end] for start, end in analysis.capitalised_runs(text)]
    assert runs == ["Union", "Amira Castellanos", "Dr R. Obi", "Mr O'Hare", "Town Hall"]


def test_capitalised_runs_leave_out_capitals_glued_to_other_letters() -> None:
    text = "In iPhone and McDONALD news, NHS bosses met Jo-Ann Pike."
    runs = [text[start:end] for start, end in analysis.capitalised_runs(text)]
    assert runs == ["In", "Jo-Ann Pike"]


def test_years_and_weekday_date_pairs_of_a_text_without_a_published_date() -> None:
    text = (
        "Drivers, who last struck in 2019, walk out on Thursday 9th March and on Monday\n"
        "the 3rd to Wednesday 5th of April. Fares rose in 2021 (ref 12019, 2021a)."
    )
    doc = Analysis.of(text, None)
    assert doc.years == [2019, 2021]
    pairs = [(text[p.start : p.end], p.weekday, p.month, p.day) for p in doc.weekday_dates]
    assert pairs == [
        ("Thursday 9th March", 3, 3, 9),
        ("Monday\nthe 3rd to Wednesday 5th of April", 0, 4, 3),
    ]


WORD_PIECES = [" ", "-", "\n", ".", "'", "é", "\u0130", "£", "•", "_", "7", "in", "In", "the",
               "THE", "on", "strike", "strikes", "walk", "out", "walk-out", "two", "thirds", "a",
               "third", "march", "March", "NHS", "Monday", "noon", "over", "excess",
               "of"]  # fmt: skip


def test_scans_at_word_starts_find_what_the_plain_patterns_find() -> None:
    """The phrase and opening-word scans read from the character before each word; a plain
    "\\b" before their patterns must find the same words, at the text's start too."""
    rng = random.Random(14)
    scans = [analysis._longest_phrases(), analysis._OPENING_WORDS]
    plain = [re.compile(r"\b" + scan.at_start.pattern) for scan in scans]
    for _ in range(3000):
        text = "".join(rng.choice(WORD_PIECES) for _ in range(rng.randint(1, 12)))
        lowered = lower_same_length(text)
        ascii_words = not analysis._non_ascii_word_starts(text)
        for scan, pattern in zip(scans, plain, strict=True):
            found = [(match.span(1), match.end()) for match in scan.finditer(lowered, ascii_words)]
            expected = [(match.span(1), match.end()) for match in pattern.finditer(lowered)]
            assert found == expected, text


def test_terms_in_and_has_are_the_phrases_lying_wholly_in_the_span() -> None:
    """A lexicon's phrases never overlap (terms_in and has count on it)."""
    nested = _phrases_ending_in_phrases()
    pieces = [*nested[:40], "strike", "walk-out", "NHS England", " ", "\n", ".", "4"]
    rng = random.Random(15)
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(12))
        doc = Analysis.of(text, PUBLISHED)
        for lexicon_name, found in doc.terms.items():
            assert all(one.end <= other.start for one, other in itertools.pairwise(found))
            for _ in range(5):
                start, end = sorted(rng.randint(0, len(text)) for _ in range(2))
                inside = [term for term in found if start <= term.start and term.end <= end]
                assert doc.terms_in(lexicon_name, start, end) == inside, (text, start, end)
                assert doc.has(lexicon_name, start, end) == bool(inside), (text, start, end)


ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = shared_dir() / "dev"  # the real dev articles, on the machines that hold them
PLAIN_GAP = r"[^\S\n]*\n?[^\S\n]*"


def _real_texts(folder: Path, pattern: str) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob(pattern))]


def _plain_phrase_scan() -> re.Pattern[str]:
    """The phrase trie as first written: "\\b" before it, "(?!\\w)" after each word token, and a
    gap the engine may give back."""

    def alternation(node: analysis._Node) -> str:
        tails = {}
        for token, child in node.next.items():
            tail = r"(?!\w)" if re.match(r"\w", token) else ""
            if child.next:
                tail += f"(?:{PLAIN_GAP}{alternation(child)})" + ("?" if child.ends else "")
            tails[token] = tail
        return analysis._char_trie(tails)

    return re.compile(rf"\b(?=({alternation(analysis._phrase_trie())}))")


# Words and marks that phrases are made of, and what may lie between them.
PHRASE_PIECES = ["walk", "-", "out", "walk-out", "junior", "doctors", "the", "bma", ".", ",", "'",
                 "&", "a", "and", "e", "léger", "düsseldorf", "4", "x"]  # fmt: skip
PHRASE_GAPS = ["", " ", "  ", "\n", "\n\n", " \n ", " \n", "\n "]


def _assert_phrase_scan_is_the_plain_one(texts: list[str]) -> None:
    scan, plain = analysis._longest_phrases(), _plain_phrase_scan()
    for text in texts:
        norm = normalize(text)
        lowered = lower_same_length(norm)
        ascii_words = not analysis._non_ascii_word_starts(norm)
        found = [(match.span(1), match.end()) for match in scan.finditer(lowered, ascii_words)]
        assert found == [(match.span(1), match.end()) for match in plain.finditer(lowered)]


def test_the_phrase_scan_finds_what_the_plain_trie_finds_in_tricky_text() -> None:
    rng = random.Random(16)
    texts = [
        "".join(
            rng.choice(PHRASE_PIECES) + rng.choice(PHRASE_GAPS) for _ in range(rng.randint(1, 9))
        )
        for _ in range(3000)
    ]
    _assert_phrase_scan_is_the_plain_one([*texts, *TRICKY])


def test_the_phrase_scan_finds_what_the_plain_trie_finds_in_the_seeds() -> None:
    texts = _real_texts(ROOT / "seeds", "*.txt")
    assert texts
    _assert_phrase_scan_is_the_plain_one(texts)


@pytest.mark.skipif(not DEV_SETS.is_dir(), reason="the dev sets are not on this machine")
def test_the_phrase_scan_finds_what_the_plain_trie_finds_in_the_dev_sets() -> None:
    texts = _real_texts(DEV_SETS, "*/raw/*.txt")
    assert texts
    _assert_phrase_scan_is_the_plain_one(texts)


def test_digit_starts_are_those_of_the_plain_pattern() -> None:
    """_digit_runs finds "\\b\\d" through a cheap class: in real articles, and with every Unicode
    digit, letters and marks around them."""
    plain = re.compile(r"\b\d")
    digits = [chr(code) for code in range(0x110000) if re.match(r"\d", chr(code))]
    pieces = [*digits, "7", "x", "é", "_", " ", "-", "£", "\u0130", "\u00b2", "\u2160"]
    rng = random.Random(17)
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 8))) for _ in range(5000)]
    texts += _real_texts(ROOT / "seeds", "*.txt") + _real_texts(DEV_SETS, "*/raw/*.txt")
    for text in [*texts, *TRICKY]:
        found = analysis._digit_runs(text)[0]
        assert found == [match.start() for match in plain.finditer(text)], text


FIGURE_PIECES = ["In Excess Of", "ALMOST", "Half", "HALF a Million", "Two-Thirds", "one", "One",
                 "in", "five", "FIVE", "2.5M", "3BN", "40 Per Cent", "12", "1,200", "PC", "No",
                 "NO nurses were", "a Third", "Ninety-Nine", "ſome", "\u0130n", "\u212a", " ", "\n",
                 "(54%)", ",", "-", "48-Hour", "Three DAYS", "two Weeks", "Forty-Eight hours",
                 "24"]  # fmt: skip


def test_figures_and_durations_read_in_lower_case_are_those_read_ignoring_case() -> None:
    """Without a look-alike of an ASCII letter, the figures and durations of the lower-cased
    text, read with the patterns without their flag, are those of the text read ignoring case."""
    lower_case_patterns = (
        numbers._LOWER_CASE_FIGURE,
        numbers._LOWER_CASE_DURATION_AFTER,
        dates._LOWER_CASE_DURATION,
    )
    for pattern in (lower_case.pattern for lower_case in lower_case_patterns):
        assert not re.search(r"(?<!\\)[A-Z]", pattern.replace("(?P<", "")), pattern
    rng = random.Random(18)
    texts = [" ".join(rng.choices(FIGURE_PIECES, k=rng.randint(1, 8))) for _ in range(1500)]
    texts += _real_texts(ROOT / "seeds", "*.txt") + _real_texts(DEV_SETS, "*/raw/*.txt") + TRICKY
    plain_texts = 0
    for text in texts:
        norm = normalize(text)
        lowered = lower_same_length(norm)
        if analysis.folded(norm, lowered) is not lowered:
            assert analysis.folded(norm, lowered) == analysis.folded(norm), text
            continue
        plain_texts += 1
        starts = [match.start() for match in re.finditer(r"\b", norm)]  # where _FIGURE may match
        assert scan_quantities(norm, starts, lowered) == scan_quantities(norm, starts), text
        durations = dates.scan_durations(norm, starts)
        assert dates.scan_durations(norm, starts, lowered) == durations, text
    assert plain_texts > len(texts) // 2


def test_sentence_ends_in_real_articles_are_those_of_the_plain_pattern() -> None:
    texts = _real_texts(ROOT / "seeds", "*.txt") + _real_texts(DEV_SETS, "*/raw/*.txt")
    for text in texts:
        norm = normalize(text)
        plain = [match.span() for match in PLAIN_SENTENCE_END.finditer(norm)]
        assert analysis._sentence_ends(norm, analysis._digit_runs(norm)[1]) == plain


def _plain_non_ascii_word_starts(text: str) -> list[int]:
    found = [match.start() for match in re.finditer(r"[^\W\x00-\x7f]", text)]
    starts = {start - len(re.search(r"\w*\Z", text[:start])[0]) for start in found}
    return sorted(starts)


def test_words_with_non_ascii_characters_are_found_in_every_chunk() -> None:
    rng = random.Random(19)
    chunk = analysis.NON_ASCII_CHUNK
    pieces = ["word ", "x" * (chunk - 3), "é", "café", "£5", "•", "\u0130", " ", "\n", "_é", "7é"]
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 12))) for _ in range(1500)]
    texts += _real_texts(ROOT / "seeds", "*.txt") + _real_texts(DEV_SETS, "*/raw/*.txt") + TRICKY
    for text in texts:
        norm = normalize(text)
        assert analysis._non_ascii_word_starts(norm) == _plain_non_ascii_word_starts(norm), text


def test_a_text_lowered_has_only_ascii_word_characters_when_no_word_holds_others() -> None:
    rng = random.Random(20)
    chunk = analysis.NON_ASCII_CHUNK
    pieces = ["word ", "x" * (chunk - 3), "é", "£", "•", "\u212a", "\u0130", "²", " ", "\n", "_"]
    for _ in range(1500):
        text = "".join(rng.choices(pieces, k=rng.randint(1, 12)))
        if not analysis._non_ascii_word_starts(text):
            lowered = lower_same_length(text)
            assert re.search(r"[^\W0-9_a-z]", lowered) is None, text  # no \w outside [0-9_a-z]
