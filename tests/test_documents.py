"""The document layer on the real seeds and on pages written for these tests."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from strikewatch import documents
from strikewatch.documents import find_boilerplate, parse_document
from strikewatch.textnorm import lower_same_length, normalize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = [json.loads(line) for line in (ROOT / "tests/fixtures/gold_seeds.jsonl").open()]


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def gold_posts(prefix: str) -> set[datetime]:
    return {
        datetime.fromisoformat(row["posted_at"]).astimezone(UTC)
        for row in GOLD
        if row["type"] == "post" and row["file"].startswith(prefix)
    }


def test_normalize_keeps_every_offset():
    raw = "Hunt\u2019s \u201cbleak day\u201d \u2013 12\u00a0800 ops\r\ncancelled\rtoday"
    folded = normalize(raw)
    assert len(folded) == len(raw)
    assert folded == 'Hunt\'s "bleak day" - 12 800 ops \ncancelled\ntoday'


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_bbc_live_pages_split_into_timed_posts(prefix):
    text = seed(prefix)
    parsed = parse_document(text)
    assert {post.posted_at for post in parsed.posts} == gold_posts(prefix)
    for post in parsed.posts:
        assert "published at" not in post.body
        assert "cannot be displayed" not in post.body
        assert text[post.char_start : post.char_end].startswith(post.title or "")


def test_bbc_post_titles_and_bodies():
    parsed = parse_document(seed("000"))
    titles = [post.title for post in parsed.posts]
    assert titles[:3] == [
        "In pictures: Doctors on the picket line",
        "NHS England: 78% of junior doctors did not work today",
        "NHS England: 78% of junior doctors did not work today",
    ]
    second = parsed.posts[2]
    assert second.body.startswith("Figures released by NHS England showed 78%")
    assert not second.body.startswith("16:36")


def test_guardian_blog_splits_on_updated_blocks_without_inventing_times():
    text = seed("002")
    parsed = parse_document(text, fallback_date=date(2016, 1, 12))
    assert len(parsed.posts) >= 50
    assert all(post.posted_at is None for post in parsed.posts)
    assert parsed.posts[1].title == (
        "Sandwell hospital stands down order for junior doctors to return to work"
    )
    last = parsed.posts[-1]
    assert "At 8am, today junior doctors begin" in last.body
    assert "Sign up to read this article" not in last.body
    assert [post.seq for post in parsed.posts] == list(range(1, len(parsed.posts) + 1))
    spans = [(post.char_start, post.char_end) for post in parsed.posts]
    assert all(
        end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False)
    )


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_header_matches_gold_articles(prefix):
    (gold,) = [r for r in GOLD if r["type"] == "article" and r["file"].startswith(prefix)]
    header = parse_document(seed(prefix)).header
    assert header.headline == gold["headline"]
    assert header.authors == gold["authors"]


def test_header_dates_from_datelines_and_posts():
    assert parse_document(seed("003")).header.published_at == datetime(
        2016, 4, 26, 13, 55, tzinfo=UTC
    )
    assert parse_document(seed("004")).header.published_date == date(2016, 2, 10)
    assert parse_document(seed("000")).header.published_date == date(2016, 4, 26)
    assert parse_document(seed("002")).header.published_date is None


def test_boilerplate_is_found_but_raw_text_kept():
    text = seed("004")
    parsed = parse_document(text)
    cut = [text[start:end] for start, end in parsed.boilerplate]
    assert any(piece.startswith("Your support helps us") for piece in cut)
    assert any("Your donation allows us" in piece for piece in cut)
    assert any("Join our commenting forum" in piece for piece in cut)
    assert not any("Ipsos MORI" in piece for piece in cut)
    assert "Your donation" in text  # offsets index the whole raw text


PAGE = """Share
The Northern Echo - UK
Health
By Priya Shah and Tom O'Neill

Resident doctors walk out across the north east

Tuesday 27 June 2023 06:30 BST

Resident doctors began a five-day strike at 7am today.
This Instagram post cannot be displayed in your browser.Skip instagram postEnd of instagram post
Hospitals said 800 appointments were moved.
Sign up for our daily newsletter here
"""


def test_a_page_in_another_outlets_layout():
    parsed = parse_document(PAGE)
    header = parsed.header
    assert header.headline == "Resident doctors walk out across the north east"
    assert header.authors == ["Priya Shah", "Tom O'Neill"]
    assert header.publisher == "The Northern Echo"
    assert header.published_at == datetime(2023, 6, 27, 5, 30, tzinfo=UTC)
    assert parsed.format == "article"
    cut = [PAGE[start:end] for start, end in find_boilerplate(normalize(PAGE))]
    assert any("Instagram post cannot be displayed" in piece for piece in cut)
    assert "Sign up for our daily newsletter here" in cut


def test_clock_time_lines_make_posts_dated_by_the_article():
    page = (
        "Strike day live\n\n10.02am\nPickets are out at the infirmary.\n\n"
        "11.45am\nThe trust says 40 operations were postponed.\n"
    )
    parsed = parse_document(page, fallback_date=date(2023, 3, 13))
    assert [post.posted_at for post in parsed.posts] == [
        datetime(2023, 3, 13, 10, 2, tzinfo=UTC),
        datetime(2023, 3, 13, 11, 45, tzinfo=UTC),
    ]
    assert parsed.format == "live_blog"


def test_page_with_no_date_anywhere_has_none():
    parsed = parse_document("Doctors strike again\n\nJunior doctors walked out this morning.\n")
    assert parsed.header.published_date is None
    assert parsed.header.published_at is None


def test_a_byline_with_the_writers_role():
    page = "Doctors walk out\n\nBy Sarah Mills, Health Reporter\n\nTuesday 11 April 2023\n\nText.\n"
    assert parse_document(page).header.authors == ["Sarah Mills"]


def test_a_date_stamp_before_the_text_of_its_line_dates_the_page():
    page = " date 2024-03-05 Nurses at two Leeds hospitals walk out for 48 hours\n\nMore text.\n"
    parsed = parse_document(page)
    assert parsed.header.published_date == date(2024, 3, 5)
    start, end = parsed.header.dateline
    assert page[start:end] == "date 2024-03-05"
    assert parsed.header.headline == "Nurses at two Leeds hospitals walk out for 48 hours"
    assert (start, end) in parsed.skip_spans


PAGE_PIECES = ["10:32", "9.05", "1", " ", "  ", "\t", "\n", "updated", "updated at ",
               "published at ", "posted", "bst", "b\u017ft", "Gmt", " british summer time",
               "12/04/2016", "/2016", " 12 april 2016", "live", "olive", "LIVE", "as it happened",
               "x", ".", "\n10:32 b\u017ft 12 april 2016", "\n9.05 Gmt 1 may 2016"]  # fmt: skip


def test_cheap_tests_before_page_scans_never_rule_out_a_match() -> None:
    """The document layer skips a page pattern where a cheap test says it cannot match; on
    random pages, wherever the pattern matches, the test must say it may."""
    rng = random.Random(5)
    for _ in range(4000):
        page = "".join(rng.choice(PAGE_PIECES) for _ in range(rng.randint(1, 12)))
        lowered = lower_same_length(normalize(page))
        assert documents._has_clock_shape(lowered) == bool(re.search(r"\d[:.]\d\d", lowered))
        if documents._CLOCK_LINE.search(lowered):
            assert documents._some_line_opens(lowered, documents._CLOCK_LINE_OPENS), page
        if documents._UPDATE_LINE.search(lowered):
            assert documents._some_line_opens(lowered, documents._UPDATE_LINE_OPENS), page
        marks = documents.PostMarkers.of(lowered)
        for found, pattern in (
            (marks.timed, documents._TIMED_MARKER),
            (marks.update_lines, documents._UPDATE_LINE),
            (marks.clock_lines, documents._CLOCK_LINE),
        ):
            assert [m.span() for m in found] == [m.span() for m in pattern.finditer(lowered)], page
        if documents._STAMPS[2].search(lowered):
            assert documents._DAY_AND_CLOCK.search(lowered), page
        live = re.search(r"\blive\b|as it happened|live reporting|live updates", page, re.I)
        assert documents._mentions_live(page) == bool(live), page


def test_each_embed_block_opens_with_its_opening() -> None:
    """Embed blocks are tried only where their opening words begin."""
    for block, opening in zip(documents._EMBED_BLOCKS, documents._EMBED_OPENINGS, strict=True):
        assert block.startswith(opening)


def test_embed_blocks_said_to_hold_post_do() -> None:
    """The blocks looked for only on a page holding " post" hold it in every match."""
    pages = ["this twitter post cannot be displayed x end of twitter post", "skip twitter post",
             "skip youtube video post", "end of facebook post"]  # fmt: skip
    for index in documents._EMBED_POST_BLOCKS:
        pattern = re.compile(documents._EMBED_BLOCKS[index], re.DOTALL)
        matches = [match.group() for page in pages for match in pattern.finditer(page)]
        assert matches and all(" post" in match for match in matches)


def test_line_stamps_are_the_stamp_pattern_s_matches() -> None:
    """Stamps that open a line, found from line breaks, are every match of the pattern."""
    rng = random.Random(6)
    pieces = [*PAGE_PIECES, "10:32 bst 1 may 2016", "\n\n", "7"]
    for _ in range(4000):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        lowered = lower_same_length(normalize(page))
        expected = [match.span() for match in documents._STAMPS[1].finditer(lowered)]
        starts = documents.PostMarkers.of(lowered).clock_line_starts
        found = documents.finditer_at(documents._STAMPS[1], lowered, starts)
        assert [match.span() for match in found] == expected, page


BYLINE_PIECES = ["By ", "by ", "Sarah Mills", "Jo Bloggs", "Ann Lee-Smith Jones", " and ", " & ",
                 ", ", ",", "Health Reporter", "health", "the", " ", "Staff"]  # fmt: skip


def test_the_byline_opening_test_never_rules_out_a_byline() -> None:
    rng = random.Random(8)
    for _ in range(4000):
        line = "".join(rng.choice(BYLINE_PIECES) for _ in range(rng.randint(1, 7)))
        if documents._BYLINE.match(documents._without_role(line)):
            assert documents._BYLINE_START.match(line), line


def test_a_role_is_cut_as_the_plain_pattern_cuts_it() -> None:
    """_without_role cuts what the plain pattern, from a comma to the line's end, does."""
    plain = re.compile(
        r",[^,\n]*\b(?:reporter|editor|correspondent|journalist|writer|columnist|staff)\b"
        r"[^,\n]*$",
        re.IGNORECASE,
    )
    pieces = [*BYLINE_PIECES, "Reporter", "EDITOR", "editors", "writer.", "-staff", "é", "\u212a"]
    rng = random.Random(9)
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 9))) for _ in range(4000)]
    for line in lines:
        assert documents._without_role(line) == plain.sub("", line), line


def test_a_timed_marker_after_the_first_line_starts_the_body():
    text = (
        "Politics\n"
        "Updated at 10:32 GMT 12 January 2016\n"
        "Junior doctors walk out across England today\n\n"
        "The first all-out strike began at 8am. Hospitals coped.\n"
    )
    header = parse_document(text).header
    assert header.headline is None  # the stamp line is no headline, and the body has begun
    assert header.published_date == date(2016, 1, 12)
