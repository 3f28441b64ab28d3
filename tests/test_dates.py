"""The calendar grammar's scans at candidate word starts find what full scans find.

What the grammar reads is checked as data in tests/cases/dates.yaml, times.yaml and
durations.yaml; this checks the speed-up that tries its patterns only at likely word starts.
"""

from __future__ import annotations

import pytest

from strikewatch.extract import dates
from strikewatch.extract.analysis import _candidate_starts
from strikewatch.extract.scanning import finditer_at
from strikewatch.textnorm import normalize


@pytest.mark.parametrize(
    "text",
    [
        "\u0131n March, on Mondays, mid-March and the 26th of January, doctors walked out.",
        "From 8am on Tuesday 26 April until 5pm; last night and early June; 26/04/2016.",
        "LAST MONTH and earlier this year, by 2017 or since December 15 & 20 2022.",
        "from January 15, until March 6. Wednesday (20 December) at 7.00am; midnight on Nov. 15",
    ],
)
def test_scans_at_candidate_starts_match_full_scans(text: str) -> None:
    norm = normalize(text)
    figure_starts, date_starts = _candidate_starts(norm.lower(), norm)
    quick = finditer_at(dates._DATE, norm, date_starts)
    assert [m.span() for m in quick] == [m.span() for m in dates._DATE.finditer(norm)]
    quick_times = finditer_at(dates._TIME, norm, figure_starts)
    full_times = [m.span() for m in dates._TIME.finditer(norm) if not m["word"]]
    assert [m.span() for m in quick_times if not m["word"]] == full_times
