"""An article's strike mentions reconciled: list rows and next-day continuations merged, stated
ends applied, suspensions and statuses shared by the mentions of one action, months dropped where
the article gives the day; and the days an action covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from strikewatch.extract.strikes import StrikeAction

MAX_END_DAYS = 7  # an end statement belongs to an action that began at most a week before


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Mention:
    """An action with what the article-level passes need to know about its mention."""

    action: StrikeAction
    continues: bool = False  # worded as the next day of another action
    list_run: int | None = None  # lines that are only a day, in one run under a heading
    own_times: bool = False  # whether its sentence gave it clock times


@dataclass(frozen=True)
class EndStatement:
    """A sentence saying when a strike finishes: its day and/or clock time."""

    day: dt.date | None
    clock: dt.time | None
    group: str | None


# ------------------------------------------------------------------ the article


def merge_list_runs(found: list[Mention]) -> list[Mention]:
    """Lines that are only a day, in one run, on consecutive days: one action."""
    merged: list[Mention] = []
    for item in found:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and item.list_run is not None
            and previous.list_run == item.list_run
            and previous.action.starts_at is not None
            and item.action.starts_at is not None
        ):
            last = (previous.action.ends_at or previous.action.starts_at).date()
            if item.action.starts_at.date() == last + dt.timedelta(days=1):
                end = item.action.ends_at or item.action.starts_at
                merged[-1] = replace(previous, action=replace(previous.action, ends_at=end))
                continue
        merged.append(item)
    return merged


def _last_day(action: StrikeAction) -> dt.date:
    assert action.starts_at is not None
    if action.ends_at is None:
        return action.starts_at.date()
    if action.start_precision == "minute":
        return (action.ends_at - dt.timedelta(minutes=1)).date()
    return action.ends_at.date()


def _daily_hours(action: StrikeAction) -> bool:
    """Whether the action runs between clock times on one day (so on later days the same)."""
    return (
        action.start_precision == "minute"
        and action.starts_at is not None
        and action.ends_at is not None
        and action.ends_at.date() == action.starts_at.date()
    )


def merge_continuations(found: list[Mention]) -> list[Mention]:
    """Actions worded as the next day of an action (its second day) extend it instead."""
    kept = list(found)
    dropped: set[int] = set()
    for index, item in enumerate(found):
        action = item.action
        if not item.continues or action.starts_at is None or action.status == "suspended":
            continue
        if action.start_precision == "month":
            continue
        day = action.starts_at.date()
        continued = [
            other
            for other, candidate in enumerate(kept)
            if other != index
            and other not in dropped
            and candidate.action.starts_at is not None
            and candidate.action.start_precision != "month"
            and candidate.action.status != "suspended"
            and candidate.action.staff_group == action.staff_group
            and _last_day(candidate.action) == day - dt.timedelta(days=1)
        ]
        if not continued:
            continue
        for other in continued:
            earlier = kept[other].action
            end = action.ends_at
            if _daily_hours(earlier) and not item.own_times:
                assert earlier.ends_at is not None
                end = dt.datetime.combine(day, earlier.ends_at.time())
            elif end is None and earlier.start_precision == "day":
                end = dt.datetime.combine(day, dt.time(0))
            if end is not None and (earlier.ends_at is None or end > earlier.ends_at):
                kept[other] = replace(kept[other], action=replace(earlier, ends_at=end))
        dropped.add(index)
    return [item for index, item in enumerate(kept) if index not in dropped]


def apply_ends(found: list[Mention], ends: list[EndStatement]) -> list[Mention]:
    """Give each end statement to the latest action that began in the week before it."""
    targets: dict[int, tuple[dt.date | None, dt.time | None]] = {}
    for statement in ends:
        candidates = [
            (index, item.action)
            for index, item in enumerate(found)
            if item.action.starts_at is not None
            and item.action.start_precision in ("day", "minute")
            and item.action.status != "suspended"
            and (statement.group is None or item.action.staff_group == statement.group)
        ]
        if statement.day is not None:
            limit = dt.datetime.combine(statement.day, statement.clock or dt.time(23, 59))
            candidates = [
                (i, a)
                for i, a in candidates
                if a.starts_at < limit
                and a.starts_at.date() >= statement.day - dt.timedelta(days=MAX_END_DAYS)
            ]
        if not candidates:
            continue
        latest = max(a.starts_at for _, a in candidates)
        for index, action in candidates:
            if action.starts_at != latest:
                continue
            day, clock = targets.get(index, (None, None))
            targets[index] = (day or statement.day, clock or statement.clock)
    result = list(found)
    for index, (day, clock) in targets.items():
        action = result[index].action
        end = _stated_end(action, day, clock)
        if (
            end is not None
            and end > action.starts_at
            and (action.ends_at is None or _daily_hours(action) and end > action.ends_at)
        ):
            result[index] = replace(result[index], action=replace(action, ends_at=end))
    return result


def _stated_end(
    action: StrikeAction, day: dt.date | None, clock: dt.time | None
) -> dt.datetime | None:
    """The end an end statement gives an action, when it gives one for certain."""
    if day is None:
        return None
    if clock is not None:
        if clock == dt.time(0):
            return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0))
        return dt.datetime.combine(day, clock)
    if _daily_hours(action):
        assert action.ends_at is not None
        return dt.datetime.combine(day, action.ends_at.time())
    if action.start_precision == "day":
        return dt.datetime.combine(day, dt.time(0))
    return None


def same_day_suspensions(
    found: list[Mention], weeks: list[tuple[dt.date, dt.date]]
) -> list[Mention]:
    """An action the article says was suspended (by its day, or as next week's) is suspended
    in every mention."""
    suspended = {
        (item.action.staff_group, item.action.starts_at.date())
        for item in found
        if item.action.status == "suspended" and item.action.starts_at is not None
    }
    result = []
    for item in found:
        action = item.action
        if action.starts_at is not None and action.start_precision != "month":
            day = action.starts_at.date()
            in_week = any(first <= day <= last for first, last in weeks)
            if in_week or (action.staff_group, day) in suspended:
                item = replace(item, action=replace(action, status="suspended"))
        result.append(item)
    return result


def known_statuses(found: list[Mention]) -> list[Mention]:
    """A mention whose status is unknown takes the one other mentions of the same action (same
    group and first day) state."""
    known = {
        (item.action.staff_group, item.action.starts_at.date()): item.action.status
        for item in found
        if item.action.status != "unknown" and item.action.starts_at is not None
    }
    result = []
    for item in found:
        action = item.action
        if action.status == "unknown" and action.starts_at is not None:
            status = known.get((action.staff_group, action.starts_at.date()))
            if status:
                item = replace(item, action=replace(action, status=status))
        result.append(item)
    return result


def months_kept(month_only: list[Mention], dated: list[Mention]) -> list[Mention]:
    """Month-only actions the article does not also date to a day, once per group and month."""
    dated_months = {
        (item.action.staff_group, item.action.starts_at.replace(day=1).date())
        for item in dated
        if item.action.starts_at is not None
    }
    kept, seen = [], set()
    for item in month_only:
        assert item.action.starts_at is not None
        key = (item.action.staff_group, item.action.starts_at.date())
        if key in dated_months or key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def action_days(action: StrikeAction) -> tuple[dt.date, dt.date] | None:
    """First and last day of an action dated to the day: a timed action covers a day per 24
    hours from its start (24 hours from 8am is one day; 08:00 to 17:00 on two days, two)."""
    if action.starts_at is None or action.start_precision not in ("day", "minute"):
        return None
    first = action.starts_at.date()
    if action.ends_at is None:
        return first, first
    if action.start_precision == "minute":
        spanned = action.ends_at - action.starts_at - dt.timedelta(minutes=1)
        return first, first + dt.timedelta(days=max(spanned // dt.timedelta(days=1), 0))
    return first, max(action.ends_at.date(), first)


def reported_strike_days(
    actions: Sequence[StrikeAction],
    published: dt.date | None,
    days_of: Callable[[StrikeAction], tuple[dt.date, dt.date] | None] = action_days,
) -> tuple[dt.date, dt.date] | None:
    """The days of the held strike an article reports on: the one it was published during,
    else the latest before publication, with the days of the actions stated in the same clause
    ("on Tuesday and Thursday"); None when there is none. `days_of` gives an action's days."""
    if published is None:
        return None
    held = [
        (days, action)
        for action in actions
        if action.status == "held" and (days := days_of(action)) and days[0] <= published
    ]
    if not held:
        return None
    (first, last), latest = max(held, key=lambda pair: pair[0][0])
    for action in actions:
        days = days_of(action)
        if days and (action.char_start, action.char_end) == (latest.char_start, latest.char_end):
            last = max(last, days[1])
    return first, last
