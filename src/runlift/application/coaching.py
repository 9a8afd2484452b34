"""The trainer's hand on a client's plan: adjustments to approve, sessions to edit, regeneration.

- :func:`pending_adjustments` is the day's proposal of the overtraining watch
  (:func:`runlift.application.watch.propose_adjustments`) while the trainer has not decided on
  all of it, with what was decided already;
- :func:`approve_adjustments` applies the chosen changes (all, or the ticked subset: the
  trainer's edit) as :func:`~runlift.application.watch.apply_adjustments` does: on the day's base
  version, checked by the rule checker, stored as the next plan version, and records the
  decision; :func:`reject_adjustments` records a rejection and stores nothing;
- :func:`edit_session` changes one planned session by hand and shows what the rule checker says
  of the edited plan; it stores the edit only when it adds no violation, or when the trainer
  accepts them knowingly (``force``);
- :func:`regenerate_plan` stores a new profile and a plan generated from it.

Every one of them is for the athlete's trainer only (``Forbidden`` for the client, ``NotFound``
for anybody else). Proposals are named by the id of the session they change; a de-load brought
forward changes a whole week and is named ``week-YYYY-MM-DD`` by the week's first day.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from runlift.application.account_ports import Decision, Note, ProposalRecord, User
from runlift.application.accounts import (
    NewClient,
    create_client,
    normalize_email,
    require_access,
)
from runlift.application.activities import local_zone
from runlift.application.dashboard import judge_day, this_week
from runlift.application.dto import (
    PlanVersionInfo,
    StoredAthlete,
    StoredPlan,
    athlete_ref,
    profile_from_toml,
)
from runlift.application.errors import Forbidden, InvalidInput, NotFound
from runlift.application.logbook import athlete_zone
from runlift.application.plans import (
    REASON_FIRST,
    REASON_REGENERATED,
    PlanRejected,
    continued_plan,
    done_session_ids,
    make_plan,
    run_km_by_day,
)
from runlift.application.ports import Clock, UnitOfWork
from runlift.application.watch import (
    HISTORY_DAYS,
    AdjustmentProposal,
    NoPlan,
    StatusReport,
    proposal_key,
    propose_adjustments,
    store_adjusted,
)
from runlift.domain.adjust import Proposal, apply, rebalanced
from runlift.domain.compliance import WeekCompliance
from runlift.domain.guidance import DayGuide, guide_day
from runlift.domain.load import LoadDay
from runlift.domain.plan import (
    HARD_RUN_KINDS,
    WEEKDAYS,
    PlannedSession,
    SessionKind,
    Sport,
    TrainingPlan,
)
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.rules import Violation, check_plan
from runlift.domain.wellness import CheckIn, Level

__all__ = [
    "RUN_KINDS",
    "AdjustmentDecision",
    "ClientOverview",
    "ClientWithPlan",
    "EditResult",
    "PendingAdjustments",
    "PendingItem",
    "Regenerated",
    "SessionChanges",
    "add_client",
    "approve_adjustments",
    "client_overview",
    "edit_session",
    "pending_adjustments",
    "proposal_key",
    "regenerate_plan",
    "reject_adjustments",
]

#: The kinds a planned run may be given by hand (a race stays a race, and nothing becomes one).
RUN_KINDS: tuple[SessionKind, ...] = (
    SessionKind.EASY,
    SessionKind.RECOVERY,
    SessionKind.LONG,
    SessionKind.TEMPO,
    SessionKind.INTERVALS,
    SessionKind.HILLS,
)
MAX_COMMENT = 2000
MAX_TITLE = 120
MAX_DESCRIPTION = 4000
DURATION_RANGE = (5, 600)  # minutes
DISTANCE_RANGE = (0.5, 100.0)  # km
RPE_RANGE = (1.0, 10.0)


# --------------------------------------------------------------------------- shared


def _trainer_athlete(uow: UnitOfWork, user: User, athlete_id: int) -> StoredAthlete:
    """Inside a ``with uow`` block: the athlete, when ``user`` is their trainer."""
    require_access(uow, user, athlete_id, trainer_only=True)
    return uow.athletes.get(athlete_id)


def _athlete(uow: UnitOfWork, user: User, athlete_id: int) -> StoredAthlete:
    with uow:
        return _trainer_athlete(uow, user, athlete_id)


def _comment(text: str | None) -> str:
    value = (text or "").strip()
    if len(value) > MAX_COMMENT:
        raise InvalidInput(f"a comment may have at most {MAX_COMMENT:,} characters")
    if "\x00" in value:
        raise InvalidInput("the comment holds a NUL character")
    return value


def _today(athlete: StoredAthlete, clock: Clock) -> date:
    return clock.now().astimezone(athlete_zone(athlete)).date()


# --------------------------------------------------------------------------- adjustments


@dataclass(frozen=True, slots=True)
class PendingItem:
    """One proposed change and what was decided about it (None: pending). ``record`` is its
    stored record (id and state), shared by the web, the API and the CLI."""

    key: str
    proposal: Proposal
    decided: Literal["approved", "rejected", "edited"] | None
    record: ProposalRecord | None = None


@dataclass(frozen=True, slots=True)
class PendingAdjustments:
    """The day's proposed changes of one athlete, with the day's decisions so far."""

    athlete_id: int
    proposal: AdjustmentProposal
    items: tuple[PendingItem, ...]
    decisions: tuple[Decision, ...]

    @property
    def day(self) -> date:
        return self.proposal.day

    @property
    def open_items(self) -> tuple[PendingItem, ...]:
        return tuple(item for item in self.items if item.decided is None)

    @property
    def partial(self) -> bool:
        """Some changes were approved and some rejected: a partial approval."""
        states = {item.decided for item in self.items}
        return "approved" in states and "rejected" in states


_DECIDED: dict[str, Literal["approved", "rejected", "edited"]] = {
    "applied": "approved",
    "rejected": "rejected",
    "edited": "edited",
}


def _pending(uow: UnitOfWork, clock: Clock, athlete: StoredAthlete) -> PendingAdjustments | None:
    """The day's proposal with its stored states (None: no plan, or nothing proposed)."""
    try:
        proposal = propose_adjustments(uow, clock, athlete_ref(athlete))
    except NoPlan:
        return None
    if not proposal.proposals:
        return None
    with uow:
        decisions = tuple(uow.coaching.decisions(athlete.id, proposal.day))
    items = []
    for p in proposal.proposals:
        record = proposal.record(p)
        state = "pending" if record is None else record.state
        items.append(PendingItem(proposal_key(p), p, _DECIDED.get(state), record))
    return PendingAdjustments(athlete.id, proposal, tuple(items), decisions)


def pending_adjustments(
    uow: UnitOfWork, clock: Clock, user: User, athlete_id: int
) -> PendingAdjustments | None:
    """Today's proposed changes for the athlete while some are pending, else None.

    None when the athlete has no plan, nothing is proposed (green, or nothing in reach), or
    every change has been applied, rejected or overtaken by an edit (through the web, the API
    or the CLI: they share the records). A later check-in that proposes a change not decided
    yet brings it back.

    Raises:
        NotFound: not the user's athlete. Forbidden: the user is the client.
    """
    athlete = _athlete(uow, user, athlete_id)
    pending = _pending(uow, clock, athlete)
    if pending is None or not pending.open_items:
        return None
    return pending


@dataclass(frozen=True, slots=True)
class AdjustmentDecision:
    """What :func:`approve_adjustments` or :func:`reject_adjustments` did.

    ``approved``/``rejected`` are the keys decided by this call; ``stored`` the new plan version
    (None for a rejection); ``applied`` the changes as carried out (restated by ``apply``);
    ``violations`` the rules the adjusted plan breaks (always empty for a stored plan), each
    with its reason in ``reasons``; ``rebuilt`` the weeks rebuilt after the eased ones.
    """

    athlete_id: int
    day: date
    approved: tuple[str, ...]
    rejected: tuple[str, ...]
    stored: StoredPlan | None
    applied: tuple[Proposal, ...] = ()
    violations: tuple[Violation, ...] = ()
    reasons: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    rebuilt: tuple[int, ...] = ()


def _chosen(pending: PendingAdjustments, session_ids: Collection[str] | None) -> list[str]:
    open_keys = [item.key for item in pending.open_items]
    if session_ids is None:
        return open_keys
    wanted = list(dict.fromkeys(session_ids))
    known = {item.key: item for item in pending.items}
    for key in wanted:
        item = known.get(key)
        if item is None:
            raise InvalidInput(
                f"{key!r} is not one of today's proposed changes (they may have changed since "
                "the page was loaded); reload and choose again"
            )
        if item.decided is not None:
            raise InvalidInput(f"the change to {_label(item.proposal)} was {item.decided} already")
    if not wanted:
        raise InvalidInput("tick at least one change to approve, or reject them")
    return wanted


def _label(proposal: Proposal) -> str:
    title = proposal.before.get("title") or proposal.before.get("kind")
    if proposal.action == "deload_forward":
        return f"week {proposal.before.get('week')}"
    return f"{title} on {proposal.day.isoformat()}"


def _done_ids(uow: UnitOfWork, athlete_id: int) -> frozenset[str]:
    """The planned sessions an activity is matched to (done, so never changed)."""
    return done_session_ids(uow, athlete_id)


def approve_adjustments(
    uow: UnitOfWork,
    clock: Clock,
    trainer: User,
    athlete_id: int,
    session_ids: Collection[str] | None = None,
    comment: str = "",
) -> AdjustmentDecision:
    """Apply today's pending changes, all (``session_ids`` None) or the chosen ones, and store
    the adjusted plan as the athlete's next version (reason: ``adjusted <day>: ...``).

    The changes are applied to the day's base version with the ones applied earlier today;
    the adjusted plan must pass the rule checker. The chosen records become ``applied`` and
    the pending ones left unticked ``rejected`` (a partial approval), with ``comment``.
    Nothing is stored on any error.

    Raises:
        NotFound: not the trainer's athlete, no plan, or nothing pending today.
        Forbidden: the user is the client.
        InvalidInput: a chosen change is not proposed (any more) or was decided already; none
            chosen; none of them could be applied; the plan changed meanwhile.
        AdjustmentRejected: the adjusted plan breaks a rule; nothing is stored.
    """
    note = _comment(comment)
    athlete = _athlete(uow, trainer, athlete_id)
    pending = _pending(uow, clock, athlete)
    if pending is None or not pending.open_items:
        raise NotFound(f"no changes are waiting for a decision for {athlete.name} today")
    chosen = _chosen(pending, session_ids)
    earlier = {item.key for item in pending.items if item.decided == "approved"}
    keep = set(chosen) | earlier
    selected = [item.proposal for item in pending.items if item.key in keep]
    left_out = [item.key for item in pending.open_items if item.key not in chosen]
    proposal = pending.proposal
    now = clock.now()
    with uow:
        _trainer_athlete(uow, trainer, athlete_id)
        base = uow.plans.get_version(athlete_id, proposal.base_version)
    adjusted = apply(
        base.plan,
        selected,
        today=proposal.day,
        done=_done_ids(uow, athlete_id),
        ran=run_km_by_day(uow, athlete_id, local_zone(athlete.profile)),
    )
    if not adjusted.applied:
        why = "; ".join(adjusted.skipped) or "nothing to change"
        raise InvalidInput(f"none of the chosen changes could be applied ({why})")
    stored = store_adjusted(
        uow,
        athlete,
        proposal,
        adjusted,
        chosen,
        by_user_id=trainer.id,
        now=now,
        comment=note,
        rejected=left_out,
        rejected_comment="left out of the approval" + (f": {note}" if note else ""),
    )
    return AdjustmentDecision(
        athlete_id=athlete_id,
        day=proposal.day,
        approved=tuple(chosen),
        rejected=tuple(left_out),
        stored=stored,
        applied=tuple(adjusted.applied),
        violations=tuple(adjusted.violations),
        reasons=tuple(adjusted.reasons),
        skipped=tuple(adjusted.skipped),
        rebuilt=tuple(adjusted.rebuilt),
    )


def reject_adjustments(
    uow: UnitOfWork,
    clock: Clock,
    trainer: User,
    athlete_id: int,
    comment: str = "",
    session_ids: Collection[str] | None = None,
) -> AdjustmentDecision:
    """Record that the trainer rejects today's pending changes (or the chosen ones), with an
    optional comment. The plan is not touched; the records become ``rejected``.

    Raises:
        NotFound: not the trainer's athlete, or nothing waits for a decision today.
        Forbidden: the user is the client.
        InvalidInput: a chosen change is not proposed or decided already; a too long comment.
    """
    note = _comment(comment)
    athlete = _athlete(uow, trainer, athlete_id)
    pending = _pending(uow, clock, athlete)
    if pending is None or not pending.open_items:
        raise NotFound(f"no changes are waiting for a decision for {athlete.name} today")
    keys = _chosen(pending, session_ids)
    now = clock.now()
    with uow:
        _trainer_athlete(uow, trainer, athlete_id)
        uow.coaching.add_decision(
            athlete_id, pending.day, "rejected", tuple(keys), trainer.id, now, None, note
        )
        uow.coaching.set_proposal_state(
            athlete_id,
            pending.day,
            tuple(keys),
            "rejected",
            by_user_id=trainer.id,
            at=now,
            comment=note,
        )
        uow.commit()
    return AdjustmentDecision(athlete_id, pending.day, (), tuple(keys), None)


# --------------------------------------------------------------------------- editing a session


@dataclass(frozen=True, slots=True)
class SessionChanges:
    """What to change in a planned session; None leaves a field as it is.

    ``day`` and ``start`` move it (the athlete's local day and wall-clock time); ``kind`` is for
    runs only (one of :data:`RUN_KINDS`; the session's hardness follows it), as is
    ``distance_km``; ``intensity_min`` is the minutes above easy intensity.
    """

    day: date | None = None
    start: time | None = None
    duration_min: int | None = None
    distance_km: float | None = None
    kind: SessionKind | None = None
    rpe: float | None = None
    intensity_min: int | None = None
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EditResult:
    """The edit of one session and what the rule checker says of the edited plan.

    ``violations`` is every violation of the edited plan; ``added`` those the current plan does
    not have (the ones the edit causes). ``stored`` is the new plan version, None when nothing
    was stored (a check, or refused because of ``added``).
    """

    athlete_id: int
    plan_version: int
    before: PlannedSession
    after: PlannedSession
    plan: TrainingPlan
    violations: tuple[Violation, ...]
    added: tuple[Violation, ...]
    stored: StoredPlan | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def clean(self) -> bool:
        return not self.added


def _in_range(value: float, low: float, high: float, what: str, unit: str) -> None:
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInput(f"{what} must be {low:g}–{high:g} {unit}, got {value:g}".rstrip())


def _text(value: str, what: str, limit: int) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"the {what} may have at most {limit:,} characters")
    if "\x00" in text:
        raise InvalidInput(f"the {what} holds a NUL character")
    return text


def _edited(session: PlannedSession, changes: SessionChanges) -> PlannedSession:
    """``session`` with ``changes``; every value is checked (the message names the field)."""
    is_run = session.sport is Sport.RUN
    day = changes.day if changes.day is not None else session.date
    clock = changes.start if changes.start is not None else session.start.time()
    start = datetime.combine(day, clock.replace(second=0, microsecond=0))
    duration = session.duration_min
    if changes.duration_min is not None:
        _in_range(changes.duration_min, *DURATION_RANGE, "the duration", "min")
        duration = int(changes.duration_min)
    rpe = session.rpe
    if changes.rpe is not None:
        _in_range(changes.rpe, *RPE_RANGE, "the effort (RPE)", "")
        rpe = round(float(changes.rpe), 1)
    distance = session.distance_km
    if changes.distance_km is not None:
        if not is_run:
            raise InvalidInput(f"a {session.sport.value} session has no distance")
        _in_range(changes.distance_km, *DISTANCE_RANGE, "the distance", "km")
        distance = round(float(changes.distance_km), 2)
    kind, hard = session.kind, session.hard
    intensity = session.intensity_min
    if changes.kind is not None and changes.kind is not session.kind:
        if not is_run:
            raise InvalidInput(f"the kind of a {session.sport.value} session cannot be changed")
        if session.kind is SessionKind.RACE:
            raise InvalidInput("the race stays a race; move it instead")
        if changes.kind not in RUN_KINDS:
            allowed = ", ".join(k.value for k in RUN_KINDS)
            raise InvalidInput(f"a run can be made {allowed}; not {changes.kind.value}")
        kind, hard = changes.kind, changes.kind in HARD_RUN_KINDS
        if kind in (SessionKind.EASY, SessionKind.RECOVERY):
            intensity = 0  # an easy run has no faster part, unless given below
    if changes.intensity_min is not None:
        if not 0 <= changes.intensity_min <= duration:
            raise InvalidInput(
                f"the minutes above easy intensity must be 0–{duration} (the duration), got "
                f"{changes.intensity_min}"
            )
        intensity = int(changes.intensity_min)
    intensity = min(intensity, duration)
    title = session.title
    if changes.title is not None:
        title = _text(changes.title, "title", MAX_TITLE)
    description = session.description
    if changes.description is not None:
        description = _text(changes.description, "description", MAX_DESCRIPTION)
    return dataclasses.replace(
        session,
        start=start,
        duration_min=duration,
        rpe=rpe,
        distance_km=distance,
        kind=kind,
        hard=hard,
        intensity_min=intensity,
        title=title,
        description=description,
    )


def _moved(plan: TrainingPlan, after: PlannedSession) -> TrainingPlan:
    """``plan`` with the session of ``after.id`` replaced by ``after``, in the week of its day."""
    day = after.date
    target = next((w for w in plan.weeks if w.start <= day <= w.end), None)
    if target is None:
        raise InvalidInput(
            f"{day.isoformat()} is outside the plan ({plan.start.isoformat()} – "
            f"{plan.end.isoformat()})"
        )
    weeks = []
    for week in plan.weeks:
        sessions = [s for s in week.sessions if s.id != after.id]
        if week is target:
            sessions.append(after)
            sessions.sort(key=lambda s: s.start)
        weeks.append(dataclasses.replace(week, sessions=tuple(sessions)))
    return dataclasses.replace(plan, weeks=tuple(weeks))


def _added(before: list[Violation], after: list[Violation]) -> list[Violation]:
    """The violations of ``after`` that ``before`` does not have (by rule, week and message)."""
    seen: dict[tuple[str, int | None, str], int] = {}
    for v in before:
        key = (v.rule, v.week, v.message)
        seen[key] = seen.get(key, 0) + 1
    added = []
    for v in after:
        key = (v.rule, v.week, v.message)
        if seen.get(key, 0) > 0:
            seen[key] -= 1
        else:
            added.append(v)
    return added


def edit_session(
    uow: UnitOfWork,
    clock: Clock,
    trainer: User,
    athlete_id: int,
    session_id: str,
    changes: SessionChanges,
    *,
    save: bool = False,
    force: bool = False,
    plan_version: int | None = None,
) -> EditResult:
    """Change one planned session of the athlete's current plan by hand and check the plan.

    Without ``save`` nothing is stored: the result shows the rule checker's verdict. With
    ``save`` the edited plan is stored as the next version (reason ``edited <title> by
    <trainer>``) when the edit adds no violation, or with ``force`` (the trainer accepts the
    violations shown; the reason names them). ``plan_version``, when given, must still be the
    current version (the page the trainer edited on is not stale).

    Sessions before the athlete's today are never edited, and none is moved before today.

    Raises:
        NotFound: not the trainer's athlete, no plan or no such session.
        Forbidden: the user is the client.
        InvalidInput: a value out of range (names it), a day outside the plan or in the past,
            nothing changed (for ``save``), or the plan changed meanwhile.
    """
    with uow:
        athlete = _trainer_athlete(uow, trainer, athlete_id)
        current = uow.plans.current(athlete_id)
    if current is None:
        raise NoPlan(athlete.name)
    if plan_version is not None and plan_version != current.version:
        raise InvalidInput(
            f"the plan changed since this page was loaded (now version {current.version}); "
            "reload and edit again"
        )
    plan = current.plan
    session = next((s for s in plan.sessions if s.id == session_id), None)
    if session is None:
        raise NotFound(f"no session {session_id!r} in plan version {current.version}")
    today = _today(athlete, clock)
    if session.date < today:
        raise InvalidInput(
            f"the session of {session.date.isoformat()} is behind {athlete.name} (today is "
            f"{today.isoformat()}); past sessions are not rewritten"
        )
    if session.id in _done_ids(uow, athlete_id):
        raise InvalidInput(
            f"“{session.title or session.kind.value}” of {session.date.isoformat()} is done (an "
            "activity is matched to it); done sessions are not rewritten"
        )
    after = _edited(session, changes)
    if after.date < today:
        raise InvalidInput(
            f"a session cannot be moved into the past ({after.date.isoformat()}; today is "
            f"{today.isoformat()})"
        )
    edited = _moved(plan, after)
    if _is_easing(session, after):
        # less work is always allowed: the week records it, the weeks after are rebuilt
        edited = _eased_by_hand(edited, after, trainer)
        edited, _ = rebalanced(
            edited,
            plan,
            today=today,
            done=_done_ids(uow, athlete_id),
            ran=run_km_by_day(uow, athlete_id, local_zone(athlete.profile)),
        )
    violations = check_plan(edited)
    added = _added(check_plan(plan), violations)
    result = EditResult(
        athlete_id=athlete_id,
        plan_version=current.version,
        before=session,
        after=after,
        plan=edited,
        violations=tuple(violations),
        added=tuple(added),
        stored=None,
    )
    if not save:
        return result
    if not result.changed:
        raise InvalidInput("nothing to save: the session is as planned")
    if added and not force:
        return result
    title = session.title or f"{session.kind.value} of {session.date.isoformat()}"
    reason = f"edited {title} by {trainer.name}"
    if added:
        reason += f" (accepted: {', '.join(sorted({v.rule for v in added}))})"
    with uow:
        _trainer_athlete(uow, trainer, athlete_id)
        latest = uow.plans.current(athlete_id)
        if latest is None or latest.version != current.version:
            raise InvalidInput(
                "the plan changed while you were editing (now version "
                f"{None if latest is None else latest.version}); reload and edit again"
            )
        now = clock.now()
        version = uow.plans.add_version(athlete_id, edited, reason, now)
        overtaken = tuple(
            record.key
            for record in uow.coaching.proposals(athlete_id, today)
            if record.state == "pending" and record.key == session.id
        )
        if overtaken:
            uow.coaching.set_proposal_state(
                athlete_id,
                today,
                overtaken,
                "edited",
                by_user_id=trainer.id,
                at=now,
                comment=f"the session was edited by hand in version {version}",
            )
        stored = uow.plans.get_version(athlete_id, version)
        uow.commit()
    return dataclasses.replace(result, stored=stored)


def _is_easing(before: PlannedSession, after: PlannedSession) -> bool:
    """Whether an edit only takes work away: same day and sport, no longer, no farther, no
    harder, no more sets; a run does not become a harder kind."""
    harder_kind = (
        before.sport is Sport.RUN
        and after.kind is not before.kind
        and after.kind in HARD_RUN_KINDS
        and before.kind not in HARD_RUN_KINDS
    )
    return (
        after.date == before.date
        and after.sport is before.sport
        and after != before
        and not harder_kind
        and (after.distance_km or 0.0) <= (before.distance_km or 0.0)
        and after.duration_min <= before.duration_min
        and after.rpe <= before.rpe
        and after.intensity_min <= before.intensity_min
        and after.strength_sets <= before.strength_sets
        and (before.hard or not after.hard)
    )


def _eased_by_hand(plan: TrainingPlan, after: PlannedSession, trainer: User) -> TrainingPlan:
    weeks = []
    for week in plan.weeks:
        if week.start <= after.date <= week.end:
            note = (
                f"{WEEKDAYS[after.date.weekday()][:3].title()} {after.date.isoformat()}: "
                f"“{after.title or after.kind.value}” eased by {trainer.name}"
            )
            if note not in week.eased:
                week = dataclasses.replace(week, eased=(*week.eased, note))
        weeks.append(week)
    return dataclasses.replace(plan, weeks=tuple(weeks))


# --------------------------------------------------------------------------- regenerating


@dataclass(frozen=True, slots=True)
class Regenerated:
    """A regenerated plan as stored: ``kept`` stored weeks kept as they were (the past),
    ``rebuilt`` the new weeks scaled down to grow from them, ``deloaded`` the new weeks made a
    de-load because the kept weeks had run the block's loading weeks."""

    athlete_id: int
    stored: StoredPlan
    violations: tuple[Violation, ...]
    kept: int = 0
    rebuilt: tuple[int, ...] = ()
    deloaded: tuple[int, ...] = ()


def regenerate_plan(
    uow: UnitOfWork,
    clock: Clock,
    solver: PlacementSolver,
    trainer: User,
    athlete_id: int,
    profile_toml: str,
) -> Regenerated:
    """Store ``profile_toml`` as the athlete's profile and a plan generated from it as the next
    plan version (reason ``regenerated``). The new plan continues the one under way
    (:func:`runlift.application.plans.continued_plan`): every session before the athlete's
    today and every done one stays exactly as stored, the new weeks grow from the last kept
    loading week at ≤ +10 % a week, and the plan passes the rule checker. The solver runs
    outside any transaction; profile and plan are stored together or not at all.

    Raises:
        ProfileError: the TOML is not a valid profile (names the key); nothing stored.
        PlanInfeasible: the schedule cannot keep every rule (names the conflict).
        PlanUnderWay: the new plan's weeks cannot follow the weeks kept (names the dates).
        PlanRejected: the plan breaks a rule (for instance a new schedule the weeks already
            behind do not keep); nothing stored.
        InvalidInput: the plan changed while the new one was made; nothing stored.
        NotFound, Forbidden: not the trainer's athlete / the user is the client.
    """
    athlete = _athlete(uow, trainer, athlete_id)
    profile = profile_from_toml(profile_toml, source="profile")
    with uow:
        existing = uow.plans.current(athlete_id)
    result = continued_plan(
        None if existing is None else existing.plan,
        profile,
        solver,
        today=_today(athlete, clock),
        done=_done_ids(uow, athlete_id),
        ran=run_km_by_day(uow, athlete_id, local_zone(profile)),
    )
    with uow:
        _trainer_athlete(uow, trainer, athlete_id)
        latest = uow.plans.current(athlete_id)
        if (latest is None) != (existing is None) or (
            latest is not None and existing is not None and latest.version != existing.version
        ):
            raise InvalidInput(
                "the plan changed while the new one was made (now version "
                f"{None if latest is None else latest.version}); reload and try again"
            )
        uow.athletes.update_profile(athlete_id, profile_toml)
        version = uow.plans.add_version(athlete_id, result.plan, REASON_REGENERATED, clock.now())
        stored = uow.plans.get_version(athlete_id, version)
        uow.commit()
    return Regenerated(athlete_id, stored, (), result.kept, result.rebuilt, result.deloaded)


# --------------------------------------------------------------------------- the client page


#: Days of training load and of check-ins the client page charts.
LOAD_CHART_DAYS = 84
WELLNESS_CHART_DAYS = 42
#: Days of fuel targets shown, today first.
FUEL_DAYS = 7


@dataclass(frozen=True, slots=True)
class ClientOverview:
    """Everything the trainer's page of one client shows.

    ``status`` is the day's status as ``runlift status`` reports it. ``changed_ids`` are the
    sessions the current version changed by hand or by an adjustment (compared with the version
    before it); ``done_ids`` the planned sessions an activity is matched to. ``load_days`` are
    the load report's rows of the :data:`LOAD_CHART_DAYS` days up to today (from the first
    activity on; as ``runlift load --from ...`` shows them), ``week`` this plan week planned
    against done, ``checkins`` those of the :data:`WELLNESS_CHART_DAYS` days up to today.
    ``fuel`` is the day guide (recovery and nutrition) of today and the days after it, today's
    with the day's check-in and status as ``runlift today`` gives it; empty without a plan.
    ``pending`` is what :func:`pending_adjustments` returns.
    """

    athlete: StoredAthlete
    account: User | None
    today: date
    status: StatusReport
    plan: StoredPlan | None
    changed_ids: frozenset[str]
    done_ids: frozenset[str]
    versions: tuple[PlanVersionInfo, ...]
    notes: tuple[Note, ...]
    load_days: tuple[LoadDay, ...]
    week: WeekCompliance | None
    checkins: tuple[CheckIn, ...]
    wellness_from: date
    fuel: tuple[DayGuide, ...]
    pending: PendingAdjustments | None

    @property
    def level(self) -> str:
        """``red``, ``amber``, ``green``, or ``none`` with nothing to judge (as the dashboard)."""
        report = self.status
        if report.checkins == 0 and report.load_from is None and not report.status.findings:
            return "none"
        return report.status.level.value

    @property
    def load_today(self) -> LoadDay | None:
        days = self.load_days
        return days[-1] if days and days[-1].date == self.today else None

    @property
    def upcoming(self) -> tuple[PlannedSession, ...]:
        """The sessions from today on in the coming two weeks, by start."""
        if self.plan is None:
            return ()
        last = self.today + timedelta(days=13)
        return tuple(
            sorted(
                (s for s in self.plan.plan.sessions if self.today <= s.date <= last),
                key=lambda s: s.start,
            )
        )


def _changed(current: StoredPlan, previous: StoredPlan | None) -> frozenset[str]:
    if previous is None or not current.reason.startswith(("adjusted ", "edited ")):
        return frozenset()
    before = {s.id: s for s in previous.plan.sessions}
    return frozenset(s.id for s in current.plan.sessions if before.get(s.id) != s)


def _today_guide(
    athlete: StoredAthlete, plan: TrainingPlan, status: StatusReport, day: date
) -> DayGuide:
    """Today's recovery and fuel as ``runlift today`` gives them: an ill check-in gets rest
    advice, a status other than green the tired advice, the check-in's body mass the targets."""
    checkin = status.checkin
    ill = checkin is not None and checkin.ill
    tired = status.status.level is not Level.GREEN
    return guide_day(
        athlete.profile,
        plan,
        day,
        ill=ill,
        tired=tired and not ill,
        mass_kg=None if checkin is None else checkin.mass_kg,
    )


def client_overview(
    uow: UnitOfWork, clock: Clock, trainer: User, athlete_id: int
) -> ClientOverview:
    """The trainer's page of one client. The activities are read once for the status, the
    load chart and compliance; the watch's proposal is asked for only when the status is not
    green (green proposes nothing).

    Raises:
        NotFound: not the trainer's athlete. Forbidden: the user is the client.
    """
    with uow:
        athlete = _trainer_athlete(uow, trainer, athlete_id)
        today = _today(athlete, clock)
        account = uow.accounts.by_athlete(athlete_id)
        current = uow.plans.current(athlete_id)
        previous = (
            uow.plans.get_version(athlete_id, current.version - 1)
            if current is not None and current.version > 1
            else None
        )
        versions = tuple(uow.plans.versions(athlete_id))
        notes = tuple(uow.coaching.notes(athlete_id))
        stored = uow.activities.list(athlete_id)
        checkins = uow.checkins.between(athlete_id, today - timedelta(days=HISTORY_DAYS - 1), today)
    plan = None if current is None else current.plan
    judged = judge_day(athlete, plan, stored, checkins, today)
    load_days: tuple[LoadDay, ...] = ()
    if judged.load is not None:
        series = judged.load.series
        shown_from = max(today - timedelta(days=LOAD_CHART_DAYS - 1), series.start)
        load_days = tuple(series[i] for i in range(series.index_of(shown_from), len(series)))
    fuel: tuple[DayGuide, ...] = ()
    if plan is not None:
        fuel = (
            _today_guide(athlete, plan, judged.report, today),
            *(
                guide_day(athlete.profile, plan, today + timedelta(days=offset))
                for offset in range(1, FUEL_DAYS)
            ),
        )
    pending = None
    if current is not None and judged.report.status.level is not Level.GREEN:
        pending = _pending(uow, clock, athlete)
        if pending is not None and (
            pending.proposal.applied_in is not None or not pending.open_items
        ):
            pending = None
    wellness_from = today - timedelta(days=WELLNESS_CHART_DAYS - 1)
    return ClientOverview(
        athlete=athlete,
        account=account,
        today=today,
        status=judged.report,
        plan=current,
        changed_ids=frozenset() if current is None else _changed(current, previous),
        done_ids=frozenset(s.planned_session_id for s in stored if s.planned_session_id),
        versions=versions,
        notes=notes,
        load_days=load_days,
        week=this_week(stored, athlete_zone(athlete), plan, today),
        checkins=tuple(c for c in checkins if c.day >= wellness_from),
        wellness_from=wellness_from,
        fuel=fuel,
        pending=pending,
    )


# --------------------------------------------------------------------------- a new client


@dataclass(frozen=True, slots=True)
class ClientWithPlan:
    """A new client (account, athlete, invite secret) and their first plan."""

    client: NewClient
    plan: StoredPlan


def add_client(
    uow: UnitOfWork,
    clock: Clock,
    solver: PlacementSolver,
    trainer: User,
    *,
    email: str,
    profile_toml: str,
    name: str | None = None,
) -> ClientWithPlan:
    """A new client of ``trainer`` (:func:`runlift.application.accounts.create_client`) with
    a first plan generated from the profile. The plan is generated before anything is stored,
    so a profile whose schedule cannot work stores nothing.

    Raises:
        Forbidden: ``trainer`` is not a trainer.
        ProfileError: the profile is not valid (names the key).
        InvalidInput: a bad e-mail address or name.
        PlanInfeasible, PlanRejected: no plan can be made from the profile.
        AlreadyExists: the e-mail has an account or an athlete of that name is stored.
    """
    if not trainer.is_trainer:
        raise Forbidden("only a trainer can add clients")
    normalize_email(email)
    profile = profile_from_toml(profile_toml, source="profile")
    for text in (name or "", profile.name):
        if any(ord(char) < 32 for char in text):
            raise InvalidInput(f"the name {text!r} holds a control character")
    outcome = make_plan(profile, solver)
    if outcome.violations:
        raise PlanRejected(profile.name, outcome.violations)
    created = create_client(uow, clock, trainer, email=email, profile_toml=profile_toml, name=name)
    athlete_id = created.athlete.id
    with uow:
        version = uow.plans.add_version(athlete_id, outcome.plan, REASON_FIRST, clock.now())
        stored = uow.plans.get_version(athlete_id, version)
        uow.commit()
    return ClientWithPlan(created, stored)
