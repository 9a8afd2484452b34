"""Read-only views for the doors: the activity list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from runlift.application.activities import local_zone
from runlift.application.dto import StoredActivity, StoredAthlete
from runlift.application.errors import InvalidInput
from runlift.application.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """One stored activity as listings show it. ``start`` is UTC, ``local_start`` in the
    athlete's time zone (both None when the device clock was never set). ``sets`` counts the
    active strength sets (None when there are none). ``rpe`` is the athlete's, or the estimate
    the load was computed with (``rpe_estimated``). ``trimp`` (Banister) and ``rtss`` are None
    when they could not be known when the activity was stored."""

    id: int
    file: str | None
    sport: str
    source_sport: str | None
    start: datetime | None
    local_start: datetime | None
    elapsed_s: float
    timer_s: float | None
    distance_m: float | None
    avg_hr: float | None
    max_hr: float | None
    laps: int
    sets: int | None
    load: float | None
    rpe: float | None
    rpe_estimated: bool
    trimp: float | None
    rtss: float | None
    planned_session_id: str | None
    planned_title: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActivityListing:
    athlete: StoredAthlete
    first: date | None
    last: date | None
    items: tuple[ActivityItem, ...]


def list_activities(
    uow: UnitOfWork,
    *,
    athlete_id: int,
    first: date | None = None,
    last: date | None = None,
) -> ActivityListing:
    """The athlete's activities by start, from local day ``first`` to ``last`` inclusive.

    Days are the athlete's local days (``athlete.timezone``, UTC when none). With no bound at
    all, activities with an unknown start are listed too, last.

    Raises:
        NotFound: no athlete has this id.
        InvalidInput: ``first`` is after ``last``.
    """
    if first is not None and last is not None and first > last:
        raise InvalidInput(f"the first day {first} is after the last day {last}")
    with uow:
        athlete = uow.athletes.get(athlete_id)
        zone = local_zone(athlete.profile)
        low = None if first is None else datetime.combine(first, time(), zone)
        high = None if last is None else datetime.combine(last + timedelta(days=1), time(), zone)
        stored = uow.activities.list(athlete_id, low, high)
        current = uow.plans.current(athlete_id) if stored else None
    titles = {}
    if current is not None:
        titles = {s.id: s.title or s.kind.value for s in current.plan.sessions}
    items = tuple(_item(activity, athlete, titles) for activity in stored)
    return ActivityListing(athlete, first, last, items)


def _item(stored: StoredActivity, athlete: StoredAthlete, titles: dict[str, str]) -> ActivityItem:
    activity = stored.activity
    zone = local_zone(athlete.profile)
    minutes = activity.moving_s / 60.0
    rpe = activity.rpe
    if rpe is None and stored.load is not None and minutes > 0:
        rpe = round(stored.load / minutes, 1)
    planned = stored.planned_session_id
    return ActivityItem(
        id=stored.id,
        file=activity.source_file,
        sport=activity.sport,
        source_sport=activity.source_sport,
        start=activity.start,
        local_start=None if activity.start is None else activity.start.astimezone(zone),
        elapsed_s=activity.elapsed_s,
        timer_s=activity.timer_s,
        distance_m=activity.distance_m,
        avg_hr=activity.avg_hr,
        max_hr=activity.max_hr,
        laps=len(activity.laps),
        sets=len(activity.strength_sets) or None,
        load=stored.load,
        rpe=rpe,
        rpe_estimated=activity.rpe is None,
        trimp=stored.trimp,
        rtss=stored.rtss,
        planned_session_id=planned,
        planned_title=None if planned is None else titles.get(planned),
        warnings=activity.warnings,
    )
