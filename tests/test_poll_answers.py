"""The clause breaks around a poll figure, written for speed, find exactly what their plain
alternations find."""

from __future__ import annotations

import random
import re

from strikewatch.extract.poll_answers import _HEAD_BOUNDARY, _TAIL_BOUNDARY

PLAIN_TAIL = re.compile(
    r";|\.\s|\bwhile\b|\bwhereas\b|\bbut\b|\bcompared\b|\bthan\b|,\s*with\b|\bor\s+whether\b"
    r"|\bversus\b|\bvs\b",
    re.IGNORECASE,
)
PLAIN_HEAD = re.compile(
    r";|,\s|\s-\s|\bwhile\b|\bwhereas\b|\bbut\b|\bthan\b|\bbecause\b", re.IGNORECASE
)
SENTENCES = [
    "Some 52% backed the strike, while 31% opposed it; the rest were unsure.",
    "Nurses (61%) were more likely than doctors (48%) - BUT not by much - to say so.",
    "Support stood at 40% compared with 35% in May, OR WHETHER the public cared vs not.",
    "About 58% said yes, with 12% undecided, whereas butchers and thanes voted because...",
    "Whilst 20% wavered, versus last time, 7% blamed both.Then 3%.",
]


def _texts() -> list[str]:
    rng = random.Random(7)
    letters = list("butwhilecomparedthanorwhetherversusvsbecause ,;.-\n\tBUTWHILE_9'\u0131\u017f")
    made = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 50))) for _ in range(400)]
    return SENTENCES + made


def test_the_fast_breaks_match_where_the_plain_ones_do() -> None:
    for text in _texts():
        for start in range(0, len(text) + 1, 3):
            for end in (start + 7, start + 40, len(text)):
                for fast, plain in ((_TAIL_BOUNDARY, PLAIN_TAIL), (_HEAD_BOUNDARY, PLAIN_HEAD)):
                    found = [m.span() for m in fast.finditer(text, start, end)]
                    assert found == [m.span() for m in plain.finditer(text, start, end)], text
