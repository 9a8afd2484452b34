"""JSON documents the doors share: the load report and an activity listing item, as
``runlift load --format json`` / ``runlift activities --format json`` print them.

The CLI prints them and the web API (``/api/v1``) answers with them, so both build them here;
see docs/logging-and-load.md for the load report's fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from runlift.application.monitoring import LoadOverview, flag_rule
from runlift.application.queries import ActivityItem
from runlift.domain.compliance import WeekCompliance
from runlift.domain.load import LoadDay, LoadFlag

# --------------------------------------------------------------------------- load report


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _day_json(day: LoadDay) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "load": _round(day.load, 1),
        "ctl": _round(day.ctl, 2),
        "atl": _round(day.atl, 2),
        "tsb": _round(day.tsb, 2),
        "acwr_ewma": _round(day.acwr_ewma, 3),
        "acwr_rolling": _round(day.acwr_rolling, 3),
        "monotony": _round(day.monotony, 3),
        "strain": _round(day.strain, 1),
        "ramp": _round(day.ramp, 2),
    }


def _week_json(week: WeekCompliance) -> dict[str, Any]:
    return {
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "plan_week": week.plan_week,
        "deload": week.deload,
        "load": _round(week.load, 1),
        "run_km": week.run_km,
        "strength_sets": week.strength_sets,
        "planned_load": week.planned_load,
        "planned_km": week.planned_km,
        "planned_sets": week.planned_sets,
        "sessions_done": week.sessions_done,
        "sessions_planned": week.sessions_planned,
        "sessions_extra": week.sessions_extra,
    }


def _flag_json(flag: LoadFlag) -> dict[str, Any]:
    rule = flag_rule(flag.kind)
    return {
        "kind": flag.kind,
        "rule": rule.rule,
        "from": flag.start.isoformat(),
        "to": flag.end.isoformat(),
        "peak": _round(flag.peak, 3),
        "message": flag.message,
        "source": rule.source,
    }


def load_notes(overview: LoadOverview) -> list[str]:
    """What the reader should know about the numbers shown (missing data, warm-up)."""
    out: list[str] = []
    if overview.data_from is None:
        out.append(f"No activities are stored for {overview.athlete} up to {overview.last}.")
    else:
        if overview.data_from > overview.first:
            out.append(f"No activities before {overview.data_from}: the days start there.")
        if overview.acwr_from is not None and overview.acwr_from > overview.first:
            if overview.acwr_from > overview.last:
                out.append(
                    "ACWR needs 28 days of data; there are fewer (since "
                    f"{overview.data_from}), so it is not shown yet."
                )
            else:
                out.append(
                    f"ACWR needs 28 days of data: shown from {overview.acwr_from} on "
                    f"(data since {overview.data_from})."
                )
    if overview.plan_version is None:
        out.append("No stored plan: nothing to compare with.")
    if overview.without_load:
        out.append(f"{overview.without_load} activities have no stored load; they count as 0.")
    if overview.undated:
        out.append(f"{overview.undated} activities have no start time and are left out.")
    return out


def load_json(overview: LoadOverview) -> dict[str, Any]:
    """The report as ``runlift load --format json`` prints it (docs/logging-and-load.md)."""
    efficiency = overview.efficiency
    trend = efficiency.trend
    return {
        "athlete": overview.athlete,
        "timezone": overview.timezone,
        "from": overview.first.isoformat(),
        "to": overview.last.isoformat(),
        "data_from": None if overview.data_from is None else overview.data_from.isoformat(),
        "acwr_from": None if overview.acwr_from is None else overview.acwr_from.isoformat(),
        "plan_version": overview.plan_version,
        "days": [_day_json(day) for day in overview.days],
        "weeks": [_week_json(week) for week in overview.weeks],
        "flags": [_flag_json(flag) for flag in overview.flags],
        "efficiency": {
            "rule": efficiency.rule,
            "runs": [
                {
                    "date": run.on.isoformat(),
                    "ef": round(run.efficiency, 4),
                    "speed_mps": round(run.speed_mps, 3),
                    "avg_hr": run.avg_hr,
                    "distance_km": round(run.distance_km, 2),
                    "why": run.why,
                }
                for run in efficiency.runs
            ],
            "trend": None
            if trend is None
            else {
                "from": efficiency.trend_from.isoformat(),
                "to": efficiency.trend_to.isoformat(),
                "runs": trend.n,
                "slope_per_week": round(trend.slope_per_week, 5),
                "percent_change": _round(trend.percent_change, 2),
            },
        },
        "notes": load_notes(overview),
    }


# --------------------------------------------------------------------------- activities


def _utc_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def activity_json(item: ActivityItem) -> dict[str, Any]:
    """An activity as ``runlift activities --format json`` prints it."""
    return {
        "id": item.id,
        "file": item.file,
        "sport": item.sport,
        "source_sport": item.source_sport,
        "start": _utc_text(item.start),
        "local_start": None if item.local_start is None else item.local_start.isoformat(),
        "elapsed_s": item.elapsed_s,
        "timer_s": item.timer_s,
        "distance_m": item.distance_m,
        "avg_hr": item.avg_hr,
        "max_hr": item.max_hr,
        "laps": item.laps,
        "sets": item.sets,
        "load": item.load,
        "rpe": item.rpe,
        "rpe_estimated": item.rpe_estimated,
        "trimp": item.trimp,
        "rtss": item.rtss,
        "planned_session_id": item.planned_session_id,
        "planned_session_title": item.planned_title,
        "warnings": list(item.warnings),
    }
