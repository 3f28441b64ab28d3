"""Position look-ups in logarithmic time: inside which span, on which line."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


class Spans:
    """Sorted, merged [start, end) ranges that answer containment and overlap by bisection."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def contains(self, position: int) -> bool:
        """True when position lies inside a span."""
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.ends[index]

    def end_of(self, position: int) -> int | None:
        """The end of the span that holds position, or None when none does."""
        index = bisect_right(self.starts, position) - 1
        return self.ends[index] if index >= 0 and position < self.ends[index] else None

    def outside(self, items: list[T], start_of: Callable[[T], int]) -> list[T]:
        """The items (in ascending order of their `start_of`) whose start lies in no span."""
        if not self.starts or not items:
            return items
        starts = list(map(start_of, items))
        kept: list[T] = []
        cursor = 0
        # only the spans from the first item's start to the last one's can hold one
        first, last = bisect_right(self.ends, starts[0]), bisect_right(self.starts, starts[-1])
        for index in range(first, last):
            low = bisect_left(starts, self.starts[index], cursor)
            high = bisect_left(starts, self.ends[index], low)
            if low < high:
                kept += items[cursor:low]
                cursor = high
        return kept + items[cursor:] if cursor else items

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) shares a character with a span."""
        index = bisect_right(self.ends, start)
        return index < len(self.starts) and self.starts[index] < end


class Lines:
    """Line numbers of positions in a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def number(self, position: int) -> int:
        """0-based line number of a position."""
        return bisect_right(self.starts, position) - 1


def in_range(starts: Sequence[int], start: int, end: int) -> slice:
    """Slice of a sorted list of positions that fall in [start, end)."""
    return slice(bisect_left(starts, start), bisect_left(starts, end))
