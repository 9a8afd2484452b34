"""`runlift checkin`, `runlift status`, `runlift adjust`: the overtraining watch at the door.

- ``checkin`` stores the day's check-in (asked question by question in a terminal, or given
  as options) and shows the day's status;
- ``status`` shows a day's status: green, amber or red, one line per finding with its source;
- ``adjust`` proposes explained changes to the plan for that status, ``--apply`` stores them as
  a new plan version (every rule that cannot hold is reported), ``--revert N`` stores version N
  again as the newest.

Exit codes: 0 done · 1 an operation failed · 2 bad input (a value out of range, a bad or
future date, an unknown athlete, no plan to adjust): nothing is stored.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Group, RenderableType
from rich.text import Text

from runlift.application.checkin_documents import checkin_result_json
from runlift.application.errors import AthleteNotNamed, InvalidInput, NotFound
from runlift.application.plans import verify_plan
from runlift.application.watch import (
    HISTORY_DAYS,
    AdjustmentProposal,
    AppliedAdjustment,
    CheckinTarget,
    NoPlan,
    StatusReport,
    StatusTimeline,
    apply_adjustments,
    athlete_status,
    checkin_target,
    propose_adjustments,
    record_checkin,
    revert_plan,
    status_timeline,
)
from runlift.bootstrap import Services, build_services
from runlift.cli.common import EXIT_FAILED, OutputFormat
from runlift.cli.common import err as _err
from runlift.cli.common import fail as _fail
from runlift.cli.common import out as _out
from runlift.cli.common import parse_day as _day
from runlift.domain.adjust import Proposal
from runlift.domain.errors import RunliftError
from runlift.domain.plan import WEEKDAYS
from runlift.domain.wellness import CheckIn, DayStatus, Level, validate_checkin

_COLOURS = {Level.GREEN: "bold green", Level.AMBER: "bold yellow", Level.RED: "bold red"}

#: A check-in field → the option that sets it (error messages name the option).
OPTIONS = {
    "sleep_hours": "--sleep-hours",
    "sleep_quality": "--sleep-quality",
    "fatigue": "--fatigue",
    "soreness": "--soreness",
    "stress": "--stress",
    "mood": "--mood",
    "motivation": "--motivation",
    "resting_hr": "--resting-hr",
    "hrv_rmssd_ms": "--hrv",
    "mass_kg": "--mass-kg",
}

#: The 1–5 items as asked: the question and the meaning of each answer (5 = best).
ITEM_QUESTIONS = {
    "sleep_quality": ("Sleep quality", "1 very poor · 2 poor · 3 fair · 4 good · 5 very good"),
    "fatigue": ("Fatigue", "1 exhausted · 2 tired · 3 normal · 4 fresh · 5 very fresh"),
    "soreness": (
        "Muscle soreness",
        "1 very sore · 2 sore · 3 a little sore · 4 hardly sore · 5 not sore",
    ),
    "stress": ("Stress", "1 very stressed · 2 stressed · 3 normal · 4 relaxed · 5 very relaxed"),
    "mood": ("Mood", "1 very low · 2 low · 3 normal · 4 good · 5 very good"),
    "motivation": ("Motivation to train", "1 none · 2 low · 3 normal · 4 keen · 5 very keen"),
}
#: The measured values as asked, each with its unit and range.
MEASURE_QUESTIONS = {
    "resting_hr": "Morning resting heart rate, bpm (25–150)",
    "hrv_rmssd_ms": "Morning HRV as rMSSD, ms (1–300)",
    "mass_kg": "Body mass, kg (25–250)",
}


Athlete = Annotated[
    str | None,
    typer.Option(
        "--athlete", "-a", help="The athlete's name, as stored; optional with one athlete."
    ),
]
Day = Annotated[
    str | None,
    typer.Option(
        "--date", "-d", help="The day, YYYY-MM-DD (default: today in the athlete's time zone)."
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]


def _item(name: str) -> Any:
    question, meaning = ITEM_QUESTIONS[name]
    return typer.Option(f"--{name.replace('_', '-')}", help=f"{question}, 1–5: {meaning}.")


def _services() -> Services:
    return build_services()


def _shown(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()][:3].title()} {day.isoformat()}"


def _echo_json(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def _refuse(exc: RunliftError, athlete: str | None, tail: str = "") -> NoReturn:
    """Map a use-case error to one error line and its exit code."""
    if isinstance(exc, NoPlan):
        raise _fail(f'{exc}; run `runlift plan --athlete "{exc.athlete}"` to make one') from None
    if isinstance(exc, NotFound | InvalidInput):
        hint = " with --athlete NAME" if isinstance(exc, AthleteNotNamed) else ""
        raise _fail(f"{exc}{hint}{tail}") from None
    raise _fail(str(exc), EXIT_FAILED) from None


# --------------------------------------------------------------------------- status view


def _finding_lines(status: DayStatus) -> list[Text]:
    lines = []
    for finding in status.findings:
        colour = _COLOURS[finding.level]
        line = Text.assemble(
            ("  ● ", colour),
            (finding.rule, "bold"),
            (f" ({finding.level.value})", colour),
            f" {finding.message}",
        )
        if finding.source:
            line.append(f" — source: {finding.source}", style="dim")
        lines.append(line)
    return lines


def _level(level: Level) -> Text:
    return Text(level.value.upper(), style=_COLOURS[level])


_LEARNING = {
    "checkins": "your usual check-in answers (14 check-ins)",
    "load": "your usual training load (28 days of training)",
}


def _learning_line(learning: Sequence[str]) -> Text:
    what = " and ".join(_LEARNING.get(x, x) for x in learning)
    return Text(
        f"  Still learning {what}: until then only illness, injury, short sleep, lingering "
        "soreness and load spikes against your starting load are judged.",
        style="yellow",
    )


def render_status(report: StatusReport) -> RenderableType:
    """The day's level, coloured, then one line per finding with its source."""
    status = report.status
    shown = Text("NO DATA", style="bold dim") if report.state == "no_data" else _level(status.level)
    head = Text.assemble((report.athlete, "bold"), f" · {_shown(report.day)} · ", shown)
    if report.sensitivity.value != "standard":
        head.append(f" · sensitivity {report.sensitivity.value}", style="dim")
    parts: list[RenderableType] = [head]
    if report.state == "no_data":
        parts.append(
            Text("  Nothing to judge yet: no check-in and no training logged.", style="dim")
        )
    elif status.learning:
        parts.append(_learning_line(status.learning))
    if status.findings:
        parts.extend(_finding_lines(status))
    elif report.state != "no_data":
        parts.append(Text("  No warning signs today.", style="green"))
    data = [f"{report.checkins} check-in(s) of the last {HISTORY_DAYS} days"]
    data.append(
        "no training load yet"
        if report.load_from is None
        else f"training load from {report.load_from.isoformat()}"
    )
    data.append(f"{report.easy_runs} easy run(s)")
    parts.append(Text(f"  Judged from {', '.join(data)}.", style="dim"))
    if report.checkin is None:
        parts.append(
            Text(
                f"  No check-in for {_shown(report.day)}: `runlift checkin` gives a fuller "
                "picture.",
                style="dim",
            )
        )
    parts.append(
        Text(
            "  Warning signs to look at with your coach, not a diagnosis "
            "(docs/overtraining-watch.md).",
            style="dim italic",
        )
    )
    return Group(*parts)


def _print(renderable: RenderableType) -> None:
    _out().print(renderable, soft_wrap=True)


# --------------------------------------------------------------------------- checkin


def _ask(question: str, parse: Callable[[str], Any], check: Callable[[Any], None]) -> Any:
    """Ask until the answer parses and passes ``check``; Enter gives None."""
    while True:
        answer = typer.prompt(question, default="", show_default=False, err=True).strip()
        if not answer:
            return None
        try:
            value = parse(answer)
            check(value)
        except ValueError as exc:
            _err().print(Text(f"  {_why(exc)} — try again, or Enter to skip", style="yellow"))
            continue
        return value


def _why(exc: ValueError) -> str:
    text = str(exc)
    if text.startswith(("invalid literal", "could not convert")):
        return "not a valid number"
    return text


def _checker(day: date, field: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        validate_checkin(CheckIn(day, **{field: value}))

    return check


def _interview(target: CheckinTarget, given: dict[str, Any]) -> dict[str, Any]:
    """Ask every value that no option gave, one question at a time (on standard error, so
    that standard output holds only the result)."""
    out = _err()
    out.print(
        Text.assemble(
            "Check-in for ",
            (target.athlete, "bold"),
            f", {_shown(target.day)}. Items are 1–5, 5 = best; Enter skips a question.",
        ),
        soft_wrap=True,
    )
    if target.existing is not None:
        out.print(Text("A check-in for this day is stored; this one replaces it.", style="yellow"))
    values = dict(given)
    day = target.day
    if values.get("sleep_hours") is None:
        values["sleep_hours"] = _ask(
            "Sleep last night, hours (0–16)", float, _checker(day, "sleep_hours")
        )
    for field, (question, meaning) in ITEM_QUESTIONS.items():
        if values.get(field) is None:
            values[field] = _ask(f"{question} 1–5 ({meaning})", int, _checker(day, field))
    if not values.get("ill"):
        values["ill"] = typer.confirm("Ill (fever, infection)?", default=False, err=True)
    if not values.get("injured"):
        values["injured"] = typer.confirm("Injured?", default=False, err=True)
    if not values.get("note"):
        values["note"] = typer.prompt("Note", default="", show_default=False, err=True).strip()
    for field, question in MEASURE_QUESTIONS.items():
        if values.get(field) is None:
            parse: Callable[[str], Any] = int if field == "resting_hr" else float
            values[field] = _ask(question, parse, _checker(day, field))
    return values


def _option_message(message: str) -> str:
    """``fatigue must be 1–5, got 7`` → ``--fatigue must be 1–5, got 7``."""
    match = re.match(r"(\w+) must be", message)
    if match is not None and match.group(1) in OPTIONS:
        return OPTIONS[match.group(1)] + message[len(match.group(1)) :]
    return message


def checkin_command(
    ctx: typer.Context,
    athlete: Athlete = None,
    day: Day = None,
    sleep_hours: Annotated[
        float | None, typer.Option("--sleep-hours", help="Last night's sleep in hours, 0–16.")
    ] = None,
    sleep_quality: Annotated[int | None, _item("sleep_quality")] = None,
    fatigue: Annotated[int | None, _item("fatigue")] = None,
    soreness: Annotated[int | None, _item("soreness")] = None,
    stress: Annotated[int | None, _item("stress")] = None,
    mood: Annotated[int | None, _item("mood")] = None,
    motivation: Annotated[int | None, _item("motivation")] = None,
    ill: Annotated[bool, typer.Option("--ill", help="Ill today (fever, infection).")] = False,
    injured: Annotated[bool, typer.Option("--injured", help="Injured today.")] = False,
    note: Annotated[
        str, typer.Option("--note", help="A note kept with the check-in (what is wrong...).")
    ] = "",
    resting_hr: Annotated[
        int | None, typer.Option("--resting-hr", help="Morning resting heart rate, 25–150 bpm.")
    ] = None,
    hrv: Annotated[
        float | None, typer.Option("--hrv", help="Morning HRV as rMSSD, 1–300 ms.")
    ] = None,
    mass_kg: Annotated[
        float | None, typer.Option("--mass-kg", help="Body mass, 25–250 kg.")
    ] = None,
    output_format: Format = OutputFormat.TABLE,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", hidden=True, help="Ask the values not given as options."),
    ] = False,
) -> None:
    """Record today's check-in (sleep, how you feel, resting HR, HRV) and see the day's status.

    In a terminal without options it asks question by question (Enter skips one). One check-in
    per day: a second one replaces the first, which is kept in the day's history.

    `runlift checkin import FILE.csv` imports a season of check-ins (docs/bulk-import.md).
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = athlete  # `runlift checkin --athlete NAME import FILE.csv`
        return
    on = _day(day)
    given: dict[str, Any] = {
        "sleep_hours": sleep_hours,
        "sleep_quality": sleep_quality,
        "fatigue": fatigue,
        "soreness": soreness,
        "stress": stress,
        "mood": mood,
        "motivation": motivation,
        "ill": ill,
        "injured": injured,
        "note": note,
        "resting_hr": resting_hr,
        "hrv_rmssd_ms": hrv,
        "mass_kg": mass_kg,
    }
    any_given = any(value not in (None, False, "") for value in given.values())
    services = _services()
    try:
        target = checkin_target(services.uow(), services.clock, athlete, on)
    except RunliftError as exc:
        _refuse(exc, athlete, "; nothing stored")
    if interactive or (not any_given and sys.stdin.isatty()):
        given = _interview(target, given)
    elif not any_given:
        raise _fail(
            "give at least one value (--sleep-hours, --fatigue, ... --ill, see --help), or run "
            "it in a terminal to be asked; nothing stored"
        )
    checkin = CheckIn(day=target.day, **given)
    try:
        result = record_checkin(services.uow(), services.clock, target.athlete, checkin)
    except InvalidInput as exc:
        raise _fail(f"{_option_message(str(exc))}; nothing stored") from None
    except RunliftError as exc:
        _refuse(exc, athlete, "; nothing stored")
    if output_format is OutputFormat.JSON:
        _echo_json(checkin_result_json(result))
        return
    saved = result.saved
    what = "saved" if saved.created else "updated"
    _print(
        Text.assemble(
            (f"Check-in {what}", "green"),
            f" for {result.athlete} on {_shown(checkin.day)} (revision {saved.revision}).",
        )
    )
    _print(render_status(result.status))


# --------------------------------------------------------------------------- status


def render_timeline(timeline: StatusTimeline) -> RenderableType:
    """One line per day: the level (or NO DATA / learning) and the rule ids of its findings."""
    parts: list[RenderableType] = [
        Text.assemble(
            (timeline.athlete, "bold"),
            f" · {timeline.first.isoformat()} → {timeline.last.isoformat()} · sensitivity "
            f"{timeline.sensitivity.value}",
        )
    ]
    for status in timeline.days:
        state = timeline.state_on(status)
        level = Text("no data", "dim") if state == "no_data" else _level(status.level)
        line = Text.assemble(f"  {_shown(status.day)}  ", level)
        if status.learning and state != "no_data":
            line.append(" (learning)", style="yellow")
        if status.findings:
            line.append("  " + ", ".join(status.rules), style="dim")
        parts.append(line)
    return Group(*parts)


From = Annotated[
    str | None,
    typer.Option("--from", help="First day of a timeline, YYYY-MM-DD (with --to: every day)."),
]
To = Annotated[
    str | None,
    typer.Option("--to", help="Last day of a timeline, YYYY-MM-DD (default: today)."),
]


def status_command(
    athlete: Athlete = None,
    day: Day = None,
    output_format: Format = OutputFormat.TABLE,
    first: From = None,
    last: To = None,
) -> None:
    """The day's status — green, amber or red — and the warning signs behind it.

    Judged from the check-ins of the last 60 days, the training load and the efficiency of easy
    runs (docs/overtraining-watch.md). Guidance, not a diagnosis. With --from (and --to) it
    lists every day's level and findings: a timeline.
    """
    if first is not None or last is not None:
        if day is not None:
            raise _fail("--date goes alone: give either --date or --from/--to")
        if first is None:
            raise _fail("--to needs --from: give the first day of the timeline")
        start, end = _day(first, "--from"), _day(last, "--to")
        assert start is not None
        services = _services()
        try:
            timeline = status_timeline(services.uow(), services.clock, athlete, start, end)
        except RunliftError as exc:
            _refuse(exc, athlete)
        if output_format is OutputFormat.JSON:
            _echo_json(timeline.to_dict())
        else:
            _print(render_timeline(timeline))
        return
    on = _day(day)
    services = _services()
    try:
        report = athlete_status(services.uow(), services.clock, athlete, on)
    except RunliftError as exc:
        _refuse(exc, athlete)
    if output_format is OutputFormat.JSON:
        _echo_json(report.to_dict())
    else:
        _print(render_status(report))


# --------------------------------------------------------------------------- adjust


def _proposal_lines(
    proposals: Sequence[Proposal], record: AdjustmentProposal | None = None
) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for p in proposals:
        target = p.session_id or "whole week"
        stored = None if record is None else record.record(p)
        state = "" if stored is None else f"#{stored.id} {stored.state}  "
        lines.append(
            Text.assemble(
                ("● ", "bold yellow"),
                (p.action, "bold"),
                f"  {target}  {_shown(p.day)}  ",
                (state, "bold"),
                (f"finding {p.finding}", "dim"),
            )
        )
        lines.append(Text(f"  {p.reason}"))
    return lines


def _headline(proposal: AdjustmentProposal) -> Text:
    status = proposal.status
    text = Text.assemble(
        "Adjustments for ",
        (proposal.athlete, "bold"),
        f" from {_shown(proposal.day)} · status ",
        _level(status.level),
    )
    if status.rules:
        text.append(f" ({', '.join(status.rules)})")
    text.append(f" · plan v{proposal.plan_version}")
    if proposal.base_version != proposal.plan_version:
        text.append(f" (proposed on v{proposal.base_version}, before this day's adjustment)")
    return text


def render_adjustment(proposal: AdjustmentProposal, applied: AppliedAdjustment | None) -> Group:
    parts: list[RenderableType] = [_headline(proposal)]
    if not proposal.proposals:
        why = (
            "status green"
            if proposal.status.level is Level.GREEN
            else "no session in the next days needs a change"
        )
        parts.append(Text(f"No changes proposed ({why}).", style="green"))
        return Group(*parts)
    if applied is None or applied.adjusted is None:
        parts.extend(_proposal_lines(proposal.proposals, proposal))
        if proposal.applied_in is not None:
            parts.append(
                Text(f"Already applied: plan v{proposal.applied_in} holds these changes.", "dim")
            )
        else:
            parts.append(Text("Add --apply to store them as a new plan version.", style="dim"))
        return Group(*parts)
    adjusted = applied.adjusted
    if applied.stored is None:
        parts.extend(_proposal_lines(proposal.proposals, proposal))
        held = proposal.applied_in or proposal.plan_version
        parts.append(
            Text(
                f"Nothing stored: nothing is pending (plan v{held} holds the changes not "
                "rejected).",
                "dim",
            )
        )
        return Group(*parts)
    parts.extend(_proposal_lines(adjusted.applied or proposal.proposals, proposal))
    stored = applied.stored
    parts.append(
        Text.assemble((f"Stored plan version {stored.version}", "green"), f" ({stored.reason}).")
    )
    for line in adjusted.dropped:
        parts.append(Text.assemble(("Dropped: ", "bold yellow"), line))
    if adjusted.violations:
        parts.append(
            Text(
                f"Reported: {len(adjusted.violations)} rule check(s) cannot hold after these "
                "changes:",
                style="bold yellow",
            )
        )
        for violation, reason in zip(adjusted.violations, adjusted.reasons, strict=True):
            week = "" if violation.week is None else f" week {violation.week}"
            parts.append(Text(f"  {violation.rule}{week}: {violation.message} — {reason}"))
    else:
        parts.append(Text("Every plan rule still holds.", style="green"))
    for violation in adjusted.waived:
        parts.append(Text(f"Left short on purpose: {violation.message} ({violation.rule}).", "dim"))
    if adjusted.rebuilt:
        weeks = ", ".join(str(index) for index in adjusted.rebuilt)
        parts.append(
            Text(f"Rebuilt weeks {weeks}: none grows more than 10 % on the eased week.", "dim")
        )
    for line in adjusted.skipped:
        parts.append(Text(f"Skipped: {line}", style="dim"))
    return Group(*parts)


def _revert(services: Services, athlete: str | None, version: int, fmt: OutputFormat) -> None:
    try:
        stored = revert_plan(services.uow(), services.clock, athlete, version)
    except RunliftError as exc:
        _refuse(exc, athlete, "; nothing stored")
    violations = verify_plan(stored.plan)
    if fmt is OutputFormat.JSON:
        _echo_json(
            {
                "version": stored.version,
                "reason": stored.reason,
                "reverted_to": version,
                "violations": [v.to_dict() for v in violations],
            }
        )
        return
    _print(
        Text.assemble((f"Stored plan version {stored.version}", "green"), f" ({stored.reason}).")
    )
    if violations:
        _print(Text(f"It breaks {len(violations)} rule check(s):", style="bold yellow"))
        for v in violations:
            _print(Text(f"  {v.rule}: {v.message}"))


def adjust_command(
    athlete: Athlete = None,
    day: Day = None,
    output_format: Format = OutputFormat.TABLE,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Store the pending changes as a new plan version (never a rejected one).",
        ),
    ] = False,
    revert: Annotated[
        int | None,
        typer.Option(
            "--revert",
            metavar="VERSION",
            help="Store plan version VERSION again as the newest (no version is deleted).",
        ),
    ] = None,
) -> None:
    """Explained changes to the upcoming sessions for the day's status (docs/adjustments.md).

    Green: nothing. Amber: the next hard session is eased or swapped. Red: an extra rest day
    and easier days. Ill or injured: rest until a green check-in.
    """
    if revert is not None and (apply or day is not None):
        raise _fail("--revert VERSION goes alone: leave out --apply and --date")
    services = _services()
    if revert is not None:
        _revert(services, athlete, revert, output_format)
        return
    on = _day(day)
    applied: AppliedAdjustment | None = None
    try:
        if apply:
            applied = apply_adjustments(services.uow(), services.clock, athlete, on)
            proposal = applied.proposal
        else:
            proposal = propose_adjustments(services.uow(), services.clock, athlete, on)
    except RunliftError as exc:
        _refuse(exc, athlete, "; nothing stored" if apply else "")
    if output_format is OutputFormat.JSON:
        document = proposal.to_dict() if applied is None else applied.to_dict()
        document.setdefault("applied", None)
        _echo_json(document)
    else:
        _print(render_adjustment(proposal, applied))


def register(app: typer.Typer) -> None:
    """Add ``runlift status`` and ``runlift adjust`` to the root app (``runlift checkin`` is
    added with its ``import`` subcommand by :mod:`runlift.cli.csv_import`)."""
    app.command("status")(status_command)
    app.command("adjust")(adjust_command)
