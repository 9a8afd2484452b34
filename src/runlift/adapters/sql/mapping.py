"""Rows ⇄ domain values, both directions, and nothing else (no sessions, no queries)."""

from __future__ import annotations

import json
import zlib
from dataclasses import fields
from datetime import date, datetime
from typing import Any, cast

from runlift.adapters.sql.tables import (
    ActivityRow,
    AdjustmentDecisionRow,
    AdjustmentProposalRow,
    AthleteRow,
    AthleteSummaryRow,
    AuthTokenRow,
    CheckInFields,
    CheckInRevisionRow,
    CheckInRow,
    NoteRow,
    PlanVersionRow,
    StrengthSetRow,
    UserRow,
)
from runlift.application.account_ports import (
    Decision,
    Note,
    ProposalRecord,
    Summary,
    TokenRecord,
    User,
)
from runlift.application.dto import (
    CheckInRevision,
    PlanVersionInfo,
    StoredActivity,
    StoredAthlete,
    StoredPlan,
    activity_dedupe_key,
    name_key,
    profile_from_toml,
    utc,
    utc_or_none,
)
from runlift.domain.activities import CompletedActivity, Lap, Streams, StrengthSet
from runlift.domain.plan import TrainingPlan
from runlift.domain.wellness import CheckIn

#: Version of the compressed streams document, stored inside it.
STREAMS_FORMAT = 1
_STREAM_NAMES = tuple(f.name for f in fields(Streams))

#: Every ``CompletedActivity`` field this module stores (a test keeps it complete).
ACTIVITY_FIELDS = frozenset(
    {
        "sport",
        "start",
        "elapsed_s",
        "timer_s",
        "distance_m",
        "sub_sport",
        "ascent_m",
        "avg_hr",
        "max_hr",
        "laps",
        "streams",
        "strength_sets",
        "device",
        "source_file",
        "source_format",
        "rpe",
        "notes",
        "warnings",
        "source_sport",
        "leg_index",
    }
)

# --------------------------------------------------------------------------- athletes


def athlete_to_row(athlete: StoredAthlete) -> AthleteRow:
    return AthleteRow(
        name=athlete.name.strip(),
        name_key=name_key(athlete.name),
        profile_toml=athlete.profile_toml,
        created_at=utc(athlete.created_at, "created_at"),
        watch_sensitivity=athlete.sensitivity,
    )


def athlete_from_row(row: AthleteRow) -> StoredAthlete:
    return StoredAthlete(
        id=row.id,
        name=row.name,
        profile_toml=row.profile_toml,
        created_at=row.created_at,
        profile=profile_from_toml(row.profile_toml, source=f"the profile of {row.name}"),
        sensitivity=row.watch_sensitivity or "standard",
    )


# --------------------------------------------------------------------------- plans


def plan_to_row(
    athlete_id: int, version: int, plan: TrainingPlan, reason: str, created_at: datetime
) -> PlanVersionRow:
    return PlanVersionRow(
        athlete_id=athlete_id,
        version=version,
        created_at=utc(created_at, "the creation time of the plan version"),
        reason=reason,
        weeks=len(plan.weeks),
        start_date=plan.start,
        end_date=plan.end,
        plan_json=plan.to_dict(),
    )


def plan_from_row(row: PlanVersionRow) -> StoredPlan:
    return StoredPlan(
        athlete_id=row.athlete_id,
        version=row.version,
        created_at=row.created_at,
        reason=row.reason,
        plan=TrainingPlan.from_dict(row.plan_json),
    )


def version_info_from_row(row: PlanVersionRow) -> PlanVersionInfo:
    return PlanVersionInfo(
        version=row.version,
        created_at=row.created_at,
        reason=row.reason,
        weeks=row.weeks,
        start=row.start_date,
        end=row.end_date,
    )


# --------------------------------------------------------------------------- activities


def activity_to_row(
    athlete_id: int,
    activity: CompletedActivity,
    *,
    load: float | None,
    planned_session_id: str | None,
    content_hash: str | None,
    imported_at: datetime,
    trimp: float | None = None,
    rtss: float | None = None,
    dedupe: bool = True,
) -> ActivityRow:
    columns = activity_columns(
        athlete_id,
        activity,
        load=load,
        planned_session_id=planned_session_id,
        content_hash=content_hash,
        imported_at=imported_at,
        trimp=trimp,
        rtss=rtss,
        dedupe=dedupe,
    )
    return ActivityRow(
        **columns,
        strength_sets=[
            strength_set_to_row(position, item)
            for position, item in enumerate(activity.strength_sets)
        ],
    )


def activity_columns(
    athlete_id: int,
    activity: CompletedActivity,
    *,
    load: float | None,
    planned_session_id: str | None,
    content_hash: str | None,
    imported_at: datetime,
    trimp: float | None = None,
    rtss: float | None = None,
    dedupe: bool = True,
) -> dict[str, Any]:
    """The ``activities`` columns of an activity (its strength sets are rows of their own);
    ``dedupe=False`` leaves its duplicate key NULL (a deliberate copy)."""
    return {
        "athlete_id": athlete_id,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport,
        "source_sport": activity.source_sport,
        "leg_index": activity.leg_index,
        "start_utc": utc_or_none(activity.start, "the activity start"),
        "elapsed_s": activity.elapsed_s,
        "timer_s": activity.timer_s,
        "distance_m": activity.distance_m,
        "ascent_m": activity.ascent_m,
        "avg_hr": activity.avg_hr,
        "max_hr": activity.max_hr,
        "device": activity.device,
        "source_file": activity.source_file,
        "source_format": activity.source_format,
        "rpe": activity.rpe,
        "notes": activity.notes,
        "warnings": list(activity.warnings),
        "laps": [lap_to_json(lap) for lap in activity.laps],
        "load": load,
        "trimp": trimp,
        "rtss": rtss,
        "planned_session_id": planned_session_id,
        "content_hash": content_hash,
        "dedupe_key": activity_dedupe_key(activity, content_hash) if dedupe else None,
        "imported_at": utc(imported_at, "imported_at"),
        "streams": streams_to_blob(activity.streams),
    }


def activity_from_row(row: ActivityRow, *, streams: bool) -> StoredActivity:
    """The stored activity; with ``streams=False`` the (deferred) streams are not loaded."""
    activity = CompletedActivity(
        sport=row.sport,
        start=row.start_utc,
        elapsed_s=row.elapsed_s,
        timer_s=row.timer_s,
        distance_m=row.distance_m,
        sub_sport=row.sub_sport,
        ascent_m=row.ascent_m,
        avg_hr=row.avg_hr,
        max_hr=row.max_hr,
        laps=tuple(lap_from_json(item) for item in row.laps),
        streams=streams_from_blob(row.streams) if streams else Streams(),
        strength_sets=tuple(strength_set_from_row(item) for item in row.strength_sets),
        device=row.device,
        source_file=row.source_file,
        source_format=row.source_format,
        rpe=row.rpe,
        notes=row.notes,
        warnings=tuple(row.warnings),
        source_sport=row.source_sport,
        leg_index=row.leg_index,
    )
    return StoredActivity(
        id=row.id,
        athlete_id=row.athlete_id,
        activity=activity,
        load=row.load,
        planned_session_id=row.planned_session_id,
        content_hash=row.content_hash,
        imported_at=row.imported_at,
        trimp=row.trimp,
        rtss=row.rtss,
    )


def lap_to_json(lap: Lap) -> dict[str, Any]:
    start = utc_or_none(lap.start, "a lap start")
    return {
        "start": None if start is None else start.isoformat(),
        "elapsed_s": lap.elapsed_s,
        "timer_s": lap.timer_s,
        "distance_m": lap.distance_m,
        "avg_hr": lap.avg_hr,
        "max_hr": lap.max_hr,
    }


def lap_from_json(data: dict[str, Any]) -> Lap:
    start = data.get("start")
    return Lap(
        start=None if start is None else datetime.fromisoformat(str(start)),
        elapsed_s=data.get("elapsed_s"),
        timer_s=data.get("timer_s"),
        distance_m=data.get("distance_m"),
        avg_hr=data.get("avg_hr"),
        max_hr=data.get("max_hr"),
    )


def strength_set_to_row(position: int, item: StrengthSet) -> StrengthSetRow:
    return StrengthSetRow(
        position=position,
        exercise=item.exercise,
        reps=item.reps,
        weight_kg=item.weight_kg,
        duration_s=item.duration_s,
        rpe=item.rpe,
    )


def strength_set_from_row(row: StrengthSetRow) -> StrengthSet:
    return StrengthSet(
        exercise=row.exercise,
        reps=row.reps,
        weight_kg=row.weight_kg,
        duration_s=row.duration_s,
        rpe=row.rpe,
    )


def streams_to_blob(streams: Streams) -> bytes | None:
    """zlib of compact JSON holding the non-empty series; None when there is no series."""
    series = {name: list(getattr(streams, name)) for name in _STREAM_NAMES}
    kept = {name: values for name, values in series.items() if values}
    if not kept:
        return None
    document = {"v": STREAMS_FORMAT, **kept}
    text = json.dumps(document, separators=(",", ":"), allow_nan=True)
    return zlib.compress(text.encode("utf-8"), level=6)


def streams_from_blob(blob: bytes | None) -> Streams:
    if blob is None:
        return Streams()
    document = json.loads(zlib.decompress(blob).decode("utf-8"))
    version = document.pop("v", None)
    if version != STREAMS_FORMAT:
        raise ValueError(f"stored streams are in format {version!r}, expected {STREAMS_FORMAT}")
    return Streams(**{name: tuple(values) for name, values in document.items()})


# --------------------------------------------------------------------------- check-ins

#: Every ``CheckIn`` field this module stores (a test keeps it complete).
CHECKIN_FIELDS = frozenset(
    {
        "day",
        "sleep_hours",
        "sleep_quality",
        "fatigue",
        "soreness",
        "stress",
        "mood",
        "motivation",
        "ill",
        "injured",
        "note",
        "resting_hr",
        "hrv_rmssd_ms",
        "mass_kg",
    }
)


def checkin_columns(checkin: CheckIn) -> dict[str, Any]:
    """The ``CheckInFields`` columns of ``checkin`` (all but the day and ``recorded_at``)."""
    return {
        "sleep_hours": checkin.sleep_hours,
        "sleep_quality": checkin.sleep_quality,
        "fatigue": checkin.fatigue,
        "soreness": checkin.soreness,
        "stress": checkin.stress,
        "mood": checkin.mood,
        "motivation": checkin.motivation,
        "ill": bool(checkin.ill),
        "injured": bool(checkin.injured),
        "note": checkin.note,
        "resting_hr": checkin.resting_hr,
        "hrv_rmssd_ms": checkin.hrv_rmssd_ms,
        "mass_kg": checkin.mass_kg,
    }


def checkin_to_row(athlete_id: int, checkin: CheckIn, recorded_at: datetime) -> CheckInRow:
    """A new row: the day's first check-in, revision 1."""
    return CheckInRow(
        athlete_id=athlete_id,
        day=checkin.day,
        revision=1,
        recorded_at=utc(recorded_at, "the time the check-in was recorded"),
        **checkin_columns(checkin),
    )


def replace_checkin(row: CheckInRow, checkin: CheckIn, recorded_at: datetime) -> None:
    """Make ``checkin`` the row's next revision (keep the old one with ``revision_to_row``)."""
    for name, value in checkin_columns(checkin).items():
        setattr(row, name, value)
    row.recorded_at = utc(recorded_at, "the time the check-in was recorded")
    row.revision += 1


def checkin_from_row(row: CheckInFields, day: date) -> CheckIn:
    return CheckIn(
        day=day,
        sleep_hours=row.sleep_hours,
        sleep_quality=row.sleep_quality,
        fatigue=row.fatigue,
        soreness=row.soreness,
        stress=row.stress,
        mood=row.mood,
        motivation=row.motivation,
        ill=row.ill,
        injured=row.injured,
        note=row.note,
        resting_hr=row.resting_hr,
        hrv_rmssd_ms=row.hrv_rmssd_ms,
        mass_kg=row.mass_kg,
    )


def revision_to_row(row: CheckInRow, replaced_at: datetime) -> CheckInRevisionRow:
    """The row's current version as a revision, replaced at ``replaced_at``."""
    return CheckInRevisionRow(
        checkin_id=row.id,
        revision=row.revision,
        recorded_at=row.recorded_at,
        replaced_at=utc(replaced_at, "the time the check-in was replaced"),
        **checkin_columns(checkin_from_row(row, row.day)),
    )


def revision_from_row(row: CheckInRevisionRow, day: date) -> CheckInRevision:
    return CheckInRevision(
        revision=row.revision,
        checkin=checkin_from_row(row, day),
        recorded_at=row.recorded_at,
        replaced_at=row.replaced_at,
    )


# --------------------------------------------------------------------------- accounts


def user_from_row(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=cast("Any", row.role),
        athlete_id=row.athlete_id,
        trainer_id=row.trainer_id,
        created_at=row.created_at,
        has_password=row.password_hash is not None,
        units=row.units or "metric",
    )


def token_from_row(row: AuthTokenRow) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        kind=cast("Any", row.kind),
        user_id=row.user_id,
        athlete_id=row.athlete_id,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


# --------------------------------------------------------------------------- coaching


def note_from_row(row: NoteRow, author_name: str) -> Note:
    return Note(
        id=row.id,
        athlete_id=row.athlete_id,
        author_id=row.author_id,
        author_name=author_name,
        text=row.text,
        created_at=row.created_at,
    )


def decision_from_row(row: AdjustmentDecisionRow) -> Decision:
    return Decision(
        id=row.id,
        athlete_id=row.athlete_id,
        day=row.day,
        decision=cast("Any", row.decision),
        session_ids=tuple(str(item) for item in row.session_ids),
        by_user_id=row.by_user_id,
        at=row.at,
        plan_version=row.plan_version,
        comment=row.comment,
    )


def proposal_from_row(row: AdjustmentProposalRow) -> ProposalRecord:
    return ProposalRecord(
        id=row.id,
        athlete_id=row.athlete_id,
        day=row.day,
        key=row.key,
        data=json.loads(row.data),
        state=cast("Any", row.state),
        plan_version=row.plan_version,
        created_at=row.created_at,
        applied_version=row.applied_version,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        comment=row.comment,
    )


def summary_from_row(row: AthleteSummaryRow) -> Summary:
    return Summary(
        athlete_id=row.athlete_id,
        day=row.day,
        computed_at=row.computed_at,
        payload=dict(row.payload),
        dirty=row.dirty,
        generation=row.generation,
    )
