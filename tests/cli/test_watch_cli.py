"""`runlift checkin`, `runlift status` and `runlift adjust` as a user runs them.

Maya (UTC) is stored with ``a_valid_plan(8)`` from Monday 2026-12-07, its Tuesday intervals of
week 2 titled "Intervals 9 km" (Tue 12-15 07:00), a heavy lift on Wed 12-16 18:00. The clock
says Monday 2026-12-14 06:00 UTC, so the next hard session is Tuesday's intervals.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import pytest
from typer.testing import CliRunner

from runlift.application.dto import StoredAthlete
from runlift.bootstrap import Services, build_services
from runlift.cli import app
from runlift.cli import watch as watch_cli
from runlift.domain.plan import SessionKind
from runlift.domain.rules import check_plan
from runlift.domain.wellness import CheckIn
from tests.plan_builders import a_valid_plan, find_session, replace_session

NOW = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)  # Monday
TODAY = NOW.date()
EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
INTERVALS = "w2-tue-run"

runner = CliRunner()


class FixedClock:
    def now(self) -> datetime:
        return NOW


def _store(services: Services, *, plan: bool) -> None:
    with services.uow() as uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW))
        if plan:
            the_plan = replace_session(a_valid_plan(8), INTERVALS, title="Intervals 9 km")
            uow.plans.add_version(athlete_id, the_plan, "first plan", NOW)
        uow.commit()


def _services(monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("COLUMNS", "200")  # long lines stay whole in the captured output
    services = dataclasses.replace(build_services(), clock=FixedClock())
    monkeypatch.setattr(watch_cli, "_services", lambda: services)
    return services


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Services:
    """Maya and her plan in this test's own database; the CLI sees a fixed clock."""
    services = _services(monkeypatch)
    _store(services, plan=True)
    return services


def cli(command: str, *, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, shlex.split(command), input=input)
    return result.exit_code, result.output


def as_json(command: str) -> dict[str, Any]:
    result = runner.invoke(app, [*shlex.split(command), "--format", "json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def checkins(services: Services, day: date = TODAY) -> tuple[CheckIn | None, int]:
    """The day's stored check-in and how many versions it replaced."""
    with services.uow() as uow:
        return uow.checkins.get(1, day), len(uow.checkins.history(1, day))


def save(services: Services, *items: CheckIn) -> None:
    with services.uow() as uow:
        for item in items:
            uow.checkins.save(1, item, recorded_at=NOW)
        uow.commit()


def normal(day: date, **changes: Any) -> CheckIn:
    base = CheckIn(day, 8.0, 4, 4, 4, 4, 4, 4, resting_hr=50, hrv_rmssd_ms=60.0)
    return dataclasses.replace(base, **changes)


def sleep_streak(services: Services) -> None:
    """28 healthy days, then under 6 h of sleep on the last three nights: amber."""
    days = [TODAY - timedelta(days=d) for d in range(30, -1, -1)]
    save(
        services,
        *(normal(d, sleep_hours=6.0 if d > TODAY - timedelta(days=3) else 8.0) for d in days),
    )


def plan_versions(services: Services) -> list[tuple[int, str]]:
    with services.uow() as uow:
        return [(v.version, v.reason) for v in uow.plans.versions(1)]


# --------------------------------------------------------------------------- checkin


def test_a_checkin_from_options_is_stored_and_the_status_shown(services: Services) -> None:
    code, out = cli(
        "checkin --athlete 'Maya Chen' --sleep-hours 7.5 --sleep-quality 4 --fatigue 3 "
        "--soreness 5 --stress 4 --mood 4 --motivation 5 --resting-hr 52 --hrv 61.5 "
        "--mass-kg 60.8"
    )
    assert code == 0, out
    assert "Check-in saved for Maya Chen on Mon 2026-12-14 (revision 1)." in out
    assert "Maya Chen · Mon 2026-12-14 · GREEN" in out
    stored, replaced = checkins(services)
    assert stored == CheckIn(
        TODAY,
        sleep_hours=7.5,
        sleep_quality=4,
        fatigue=3,
        soreness=5,
        stress=4,
        mood=4,
        motivation=5,
        resting_hr=52,
        hrv_rmssd_ms=61.5,
        mass_kg=60.8,
    )
    assert replaced == 0


def test_athlete_is_optional_with_one_athlete_and_ill_keeps_its_note(services: Services) -> None:
    code, out = cli("checkin --ill --note 'sore throat, fever'")
    assert code == 0, out
    assert "RED" in out
    assert "illness" in out
    stored, _ = checkins(services)
    assert stored is not None
    assert (stored.ill, stored.note) == (True, "sore throat, fever")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--fatigue 7", "--fatigue must be 1–5, got 7"),
        ("--mood 0", "--mood must be 1–5, got 0"),
        ("--sleep-hours 20", "--sleep-hours must be 0–16 h, got 20.0"),
        ("--resting-hr 10", "--resting-hr must be 25–150 bpm, got 10"),
        ("--hrv 400", "--hrv must be 1–300 ms, got 400.0"),
        ("--mass-kg 12", "--mass-kg must be 25–250 kg, got 12.0"),
    ],
)
def test_a_value_out_of_range_is_refused_with_its_range_and_nothing_stored(
    services: Services, options: str, message: str
) -> None:
    code, out = cli(f"checkin --sleep-hours 8 {options}")
    assert code == 2
    assert f"error: {message}; nothing stored" in out
    assert checkins(services) == (None, 0)


def test_a_second_checkin_the_same_day_updates_it_as_revision_2(services: Services) -> None:
    assert cli("checkin --fatigue 4")[0] == 0
    code, out = cli("checkin --fatigue 2 --sleep-hours 6")
    assert code == 0, out
    assert "Check-in updated for Maya Chen on Mon 2026-12-14 (revision 2)." in out
    stored, replaced = checkins(services)
    assert stored is not None
    assert (stored.fatigue, stored.sleep_hours, replaced) == (2, 6.0, 1)


def test_a_checkin_for_another_day_and_as_json(services: Services) -> None:
    document = as_json("checkin --date 2026-12-12 --fatigue 4 --stress 3")
    assert (document["athlete"], document["date"], document["revision"]) == (
        "Maya Chen",
        "2026-12-12",
        1,
    )
    assert document["updated"] is False
    assert document["checkin"]["stress"] == 3
    assert document["status"]["level"] == "green"
    assert checkins(services, date(2026, 12, 12))[0] is not None


def test_a_future_day_and_a_bad_date_are_refused(services: Services) -> None:
    code, out = cli("checkin --date 2026-12-15 --fatigue 4")
    assert code == 2
    assert "error: date 2026-12-15 is in the future for Maya Chen" in out
    code, out = cli("checkin --date 14.12.2026 --fatigue 4")
    assert code == 2
    assert "--date must be a day as YYYY-MM-DD" in out
    assert checkins(services) == (None, 0)


def test_without_values_and_without_a_terminal_nothing_is_stored(services: Services) -> None:
    code, out = cli("checkin")
    assert code == 2
    assert "give at least one value" in out
    assert checkins(services) == (None, 0)


def test_the_questions_show_each_items_meaning_and_enter_skips(services: Services) -> None:
    answers = [
        "6.5",  # sleep hours
        "4",  # sleep quality
        "9",  # fatigue: refused, asked again
        "3",  # fatigue
        "",  # soreness: skipped
        "4",  # stress
        "5",  # mood
        "4",  # motivation
        "n",  # ill
        "n",  # injured
        "long week at work",  # note
        "51",  # resting HR
        "",  # HRV: skipped
        "",  # mass: skipped
    ]
    code, out = cli("checkin --interactive", input="\n".join(answers) + "\n")
    assert code == 0, out
    assert "Fatigue 1–5 (1 exhausted · 2 tired · 3 normal · 4 fresh · 5 very fresh)" in out
    assert "Muscle soreness 1–5 (1 very sore" in out
    assert "fatigue must be 1–5, got 9 — try again" in out
    assert "Check-in saved for Maya Chen on Mon 2026-12-14 (revision 1)." in out
    stored, _ = checkins(services)
    assert stored == CheckIn(
        TODAY,
        sleep_hours=6.5,
        sleep_quality=4,
        fatigue=3,
        stress=4,
        mood=5,
        motivation=4,
        note="long week at work",
        resting_hr=51,
    )


def test_questions_are_asked_only_for_values_not_given_and_not_on_stdout(
    services: Services,
) -> None:
    answers = ["4", "4", "4", "4", "4", "4", "n", "n", "", "", "", ""]
    result = runner.invoke(
        app,
        ["checkin", "--interactive", "--sleep-hours", "7", "--format", "json"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Sleep last night" not in result.output
    assert "Motivation to train 1–5" in result.stderr
    # the questions went to standard error; CliRunner echoes the typed answers to stdout,
    # where a terminal shows them as typed
    document = json.loads(result.stdout[result.stdout.index("{") :])
    assert (document["checkin"]["sleep_hours"], document["checkin"]["motivation"]) == (7.0, 4)
    stored, _ = checkins(services)
    assert stored is not None
    assert (stored.sleep_hours, stored.motivation) == (7.0, 4)


def test_an_unknown_athlete_is_a_clear_error(services: Services) -> None:
    for command in ("checkin -a Sam --fatigue 4", "status -a Sam", "adjust -a Sam"):
        code, out = cli(command)
        assert code == 2, command
        assert "error: no athlete named 'Sam'" in out
        assert "Maya Chen" in out


# --------------------------------------------------------------------------- status


def test_the_status_json_holds_the_level_and_explained_findings(services: Services) -> None:
    sleep_streak(services)
    document = as_json("status --athlete 'Maya Chen'")
    assert {"athlete", "date", "level", "findings"} <= set(document)
    assert (document["athlete"], document["date"], document["level"]) == (
        "Maya Chen",
        "2026-12-14",
        "amber",
    )
    [finding] = document["findings"]
    assert {"rule", "message", "evidence", "source"} <= set(finding)
    assert finding["rule"] == "sleep-short"
    assert finding["evidence"]["short_nights"] == 3
    assert document["checkin"]["sleep_hours"] == 6.0


def test_the_status_table_shows_a_line_per_finding_with_its_source(services: Services) -> None:
    sleep_streak(services)
    code, out = cli("status")
    assert code == 0, out
    assert "Maya Chen · Mon 2026-12-14 · AMBER" in out
    [line] = [line for line in out.splitlines() if "● sleep-short (amber)" in line]
    assert "short sleep: under 7 h on 3 of the last 5 nights" in line
    assert "source: docs/science.md R8" in line
    assert "not a diagnosis" in out


def test_a_past_days_status_and_a_day_without_a_checkin(services: Services) -> None:
    code, out = cli("status --date 2026-12-01")
    assert code == 0, out
    # nothing stored yet: every door says "no data", never green
    assert "Tue 2026-12-01 · NO DATA" in out
    assert "No check-in for Tue 2026-12-01" in out
    assert as_json("status --date 2026-12-01")["state"] == "no_data"


def test_a_new_athlete_is_learning_and_one_ordinary_checkin_is_not_red(services: Services) -> None:
    # one check-in, sleep quality 3 against nothing known yet
    save(services, normal(TODAY, sleep_quality=3))
    document = as_json("status")
    assert (document["level"], document["state"]) == ("green", "learning")
    assert document["learning"] == ["checkins", "load"]
    code, out = cli("status")
    assert code == 0, out
    assert "Still learning your usual check-in answers" in out
    proposal = as_json("adjust")
    assert proposal["level"] == "green"
    assert all(day["level"] != "red" for day in proposal["recent"])


def test_the_timeline_lists_each_days_level_and_findings_as_json(services: Services) -> None:
    sleep_streak(services)
    first = (TODAY - timedelta(days=30)).isoformat()
    document = as_json(f"status --athlete 'Maya Chen' --from {first} --to {TODAY.isoformat()}")
    assert (document["athlete"], document["from"], document["to"]) == (
        "Maya Chen",
        first,
        TODAY.isoformat(),
    )
    assert document["sensitivity"] == "standard"
    days = document["days"]
    assert days[0]["date"] == first
    assert len(days) == 31
    # the first day: a check-in and nothing known before it
    assert days[0]["state"] == "learning"
    assert days[0]["learning"] == ["checkins", "load"]
    # the last day: three short nights (6 h) of the last five → sleep-short, amber
    last = days[-1]
    assert last["level"] == "amber"
    [finding] = last["findings"]
    assert (finding["rule"], finding["evidence"]["short_nights"]) == ("sleep-short", 3)
    assert {"rule", "level", "message", "evidence", "source"} <= set(finding)
    # the day before had two short nights: green
    assert days[-2]["level"] == "green"
    # as a table, one line per day
    code, out = cli(f"status --from {first} --to {TODAY.isoformat()}")
    assert code == 0, out
    assert "Mon 2026-12-14  AMBER (learning)  sleep-short" in out  # no training logged


def test_a_bad_timeline_is_refused_with_its_reason(services: Services) -> None:
    code, out = cli("status --from 2026-12-10 --to 2026-12-01")
    assert code == 2
    assert "after --to" in out
    code, out = cli("status --from 12/01/2026")
    assert code == 2
    assert "--from must be a day as YYYY-MM-DD" in out
    code, out = cli("status --to 2026-12-01")
    assert code == 2
    assert "--to needs --from" in out


# --------------------------------------------------------------------------- adjust


def test_adjust_json_lists_the_proposals_and_stores_nothing(services: Services) -> None:
    sleep_streak(services)
    document = as_json("adjust")
    assert (document["athlete"], document["date"], document["level"]) == (
        "Maya Chen",
        "2026-12-14",
        "amber",
    )
    assert document["plan_version"] == 1
    [proposal] = document["proposals"]
    assert {"session_id", "action", "reason", "finding", "day"} <= set(proposal)
    assert (proposal["session_id"], proposal["action"], proposal["finding"]) == (
        INTERVALS,
        "lower_intensity",
        "sleep-short",
    )
    assert proposal["day"] == "2026-12-15"
    assert "short sleep" in proposal["reason"]
    assert document["applied"] is None
    assert plan_versions(services) == [(1, "first plan")]


def test_adjust_apply_stores_a_new_version_and_revert_brings_the_old_back(
    services: Services,
) -> None:
    sleep_streak(services)
    code, out = cli("adjust")
    assert code == 0, out
    assert "lower_intensity  w2-tue-run  Tue 2026-12-15" in out
    assert "Add --apply" in out
    code, out = cli("adjust --apply")
    assert code == 0, out
    reason = "adjusted 2026-12-14: lower_intensity Intervals 9 km (sleep-short)"
    assert f"Stored plan version 2 ({reason})." in out
    assert plan_versions(services) == [(1, "first plan"), (2, reason)]
    with services.uow() as uow:
        new = uow.plans.get_version(1, 2).plan
    assert find_session(new, INTERVALS).kind is SessionKind.EASY

    code, out = cli("adjust --apply")  # again the same day: already in place
    assert code == 0, out
    assert "Nothing stored: nothing is pending (plan v2 holds the changes not rejected)." in out
    assert len(plan_versions(services)) == 2

    code, out = cli("adjust --revert 1")
    assert code == 0, out
    assert "Stored plan version 3 (reverted to v1)." in out
    assert plan_versions(services)[-1] == (3, "reverted to v1")
    with services.uow() as uow:
        assert uow.plans.get_version(1, 3).plan == uow.plans.get_version(1, 1).plan


def test_adjust_apply_for_illness_leaves_the_week_short_and_breaks_no_rule(
    services: Services,
) -> None:
    save(services, normal(TODAY - timedelta(days=1)))
    assert cli("checkin --date 2026-12-14 --ill --note fever")[0] == 0
    document = as_json("adjust --apply")
    applied = document["applied"]
    assert applied["version"] == 2
    assert applied["reason"].startswith("adjusted 2026-12-14: rest Intervals 9 km (illness)")
    assert all("until a green check-in" in p["reason"] for p in document["proposals"])
    with services.uow() as uow:
        new = uow.plans.get_version(1, 2).plan
    assert applied["violations"] == []
    assert check_plan(new) == []
    short = [(v["rule"], v["week"]) for v in applied["left_short"]]
    assert ("RUNS", 2) in short
    assert applied["dropped"]
    assert applied["rebuilt_weeks"]


def test_adjust_table_prints_dropped_sessions_and_what_is_left_short(services: Services) -> None:
    assert cli("checkin --ill")[0] == 0
    code, out = cli("adjust --apply")
    assert code == 0, out
    assert "Stored plan version 2" in out
    assert "Dropped: " in out
    assert "Every plan rule still holds." in out
    assert "Left short on purpose: " in out
    assert "Rebuilt weeks " in out


def test_adjust_when_green_proposes_no_changes(services: Services) -> None:
    save(services, *(normal(TODAY - timedelta(days=d)) for d in range(10)))
    code, out = cli("adjust --apply")
    assert code == 0, out
    assert "No changes proposed (status green)." in out
    assert plan_versions(services) == [(1, "first plan")]


def test_adjust_without_a_plan_says_how_to_make_one(monkeypatch: pytest.MonkeyPatch) -> None:
    _store(_services(monkeypatch), plan=False)
    code, out = cli("adjust --athlete 'Maya Chen'")
    assert code == 2
    assert "error: Maya Chen has no stored plan yet" in out
    assert 'run `runlift plan --athlete "Maya Chen"` to make one' in out


def test_adjust_options_that_do_not_go_together_are_refused(services: Services) -> None:
    code, out = cli("adjust --revert 1 --apply")
    assert code == 2
    assert "--revert VERSION goes alone" in out
    code, out = cli("adjust --revert 1")
    assert code == 2
    assert "v1 is already the current plan" in out
    code, out = cli("adjust --revert 7")
    assert code == 2
    assert "no plan version 7" in out
    assert plan_versions(services) == [(1, "first plan")]
