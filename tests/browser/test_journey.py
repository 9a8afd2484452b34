"""The whole journey in a real browser, against the real server and the real clock.

A trainer signs in, adds a client through the form (plan starting on this week's Monday, a
half-marathon 15 weeks out) and a second client from a pasted profile, and reads the invite
link. The client opens it on a phone, sets a password and checks in. One check-in alone can
fire no rule of the overtraining watch (each compares against the client's own history: a
28-day baseline needs 7 check-ins, short sleep 3 nights of 5, soreness 3 days in a row), so the
client first enters the past week's normal mornings with "Check in for another day" and then
today's bad one: 4.5 h of sleep, sleep quality 1, fatigue 1, soreness 1, mood 2. Four items
below baseline make the day red. The trainer's dashboard shows the client red and first; the
client's page shows the proposed adjustments with their reasons and the charts; the trainer
approves them, and the client's plan calendar shows the changed sessions (✎) with their new
content.

Throughout: every request stays on the server's origin, and no page logs a console error or
throws. Screenshots of every step go to the artifacts folder (see conftest).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

CLIENT_NAME = "Maya Chen"
CLIENT_EMAIL = "maya.chen@example.com"
CLIENT_PASSWORD = "maya-runs-and-lifts"
OTHER_NAME = "Alex Brook"  # sorts before Maya by name: only her status can put her first
OTHER_EMAIL = "alex.brook@example.com"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
#: A normal morning (the client's baseline) and today's bad one.
NORMAL = {"Sleep quality": "4", "Fatigue": "4", "Muscle soreness": "4", "Mood": "4", "Stress": "3"}
BAD = {"Sleep quality": "1", "Fatigue": "1", "Muscle soreness": "1", "Mood": "2"}


@dataclass
class Person:
    """One browser context (a person's device) with what its pages asked for and logged."""

    role: str
    context: Any
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _open(browser: Any, role: str, options: dict[str, Any]) -> Person:
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    person = Person(role, context, page)
    context.on("request", lambda request: person.requests.append(request.url))
    context.on(
        "response",
        lambda response: (
            person.failed.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            person.errors.append(
                f"{page.url}: console {message.text} ({message.location.get('url') or '?'})"
            )
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: person.errors.append(f"{page.url}: uncaught {error}"))
    return person


class Shots:
    """Numbered screenshots: 01-trainer-login.png, 02-..."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.number = 0

    def __call__(self, person: Person, name: str, *, full_page: bool = True) -> None:
        self.number += 1
        path = self.folder / f"{self.number:02d}-{person.role}-{name}.png"
        person.page.screenshot(path=str(path), full_page=full_page)


def _start_monday() -> date:
    today = datetime.now(UTC).date()  # the athlete has no time zone: their days are UTC days
    return today - timedelta(days=today.weekday())


def _tap_scale(page: Any, answers: dict[str, str]) -> None:
    """Tap the 1–5 buttons of the check-in's items, as a thumb would."""
    from playwright.sync_api import expect

    for item, value in answers.items():
        group = page.get_by_role("group", name=re.compile("^" + re.escape(item)))
        group.get_by_text(value, exact=True).tap()
        expect(group.get_by_role("radio", name=value, exact=True)).to_be_checked()


def _calendar_link(page: Any, athlete_id: int, session_id: str) -> Any:
    return page.locator(f'a[href="/athletes/{athlete_id}/sessions/{session_id}"]')


def _calendar_entry(page: Any, athlete_id: int, session_id: str) -> tuple[str, str, str] | None:
    """(day as "Wed 25 Nov", the entry's text, its classes) of a session on the calendar."""
    link = _calendar_link(page, athlete_id, session_id)
    if link.count() == 0:
        return None
    assert link.count() == 1, f"session {session_id} shows {link.count()} times"
    cell = link.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' day ')][1]")
    day = cell.locator(".date").inner_text().split(" · ")[0].strip()
    text = " ".join(link.inner_text().split())
    return day, text, link.get_attribute("class") or ""


def test_trainer_sees_a_red_client_and_the_approved_change_reaches_her_calendar(
    chromium: Any, live_server: LiveServer, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    base = live_server.base_url
    shot = Shots(artifacts)
    trainer = _open(chromium, "trainer", DESKTOP)
    client = _open(chromium, "client", PHONE)
    people = (trainer, client)
    try:
        _journey(base, live_server, trainer, client, shot, expect)
    except BaseException:
        for person in people:
            # the page may be gone; the original error is what matters
            with contextlib.suppress(Exception):
                person.page.screenshot(
                    path=str(artifacts / f"failed-{person.role}.png"), full_page=True
                )
        print(f"server log (tail):\n{live_server.log_tail()}")
        raise
    finally:
        for person in people:
            person.context.close()

    foreign = [url for p in people for url in p.requests if not url.startswith(f"{base}/")]
    assert foreign == [], f"requests left {base}: {foreign}"
    errors = [e for p in people for e in p.errors]
    failed = [f for p in people for f in p.failed]
    assert errors == [], f"console errors or uncaught exceptions: {errors}; 4xx/5xx: {failed}"


def _journey(
    base: str, server: LiveServer, trainer: Person, client: Person, shot: Shots, expect: Any
) -> None:
    t, c = trainer.page, client.page

    # --- the trainer signs in (desktop) -----------------------------------------------------
    t.goto(f"{base}/login")
    t.get_by_label("E-mail").fill(server.trainer_email)
    t.get_by_label("Password").fill(server.trainer_password)
    shot(trainer, "login")
    t.get_by_role("button", name="Sign in").click()
    expect(t).to_have_url(f"{base}/trainer")
    expect(t.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
    expect(t.get_by_text("No clients yet.")).to_be_visible()
    shot(trainer, "dashboard-empty")

    # --- adds Maya with the form: plan from this week's Monday, race 15 weeks out -----------
    start = _start_monday()
    race = start + timedelta(weeks=14, days=6)  # a Sunday
    t.get_by_role("navigation", name="main").get_by_role("link", name="Add client").click()
    expect(t).to_have_url(f"{base}/trainer/clients/new")
    add = t.get_by_role("button", name="Add client and make the plan")
    form = t.locator("form", has=add)

    def field(label: str) -> Any:
        return form.get_by_label(re.compile("^" + re.escape(label)))

    field("Name").fill(CLIENT_NAME)
    field("E-mail").fill(CLIENT_EMAIL)
    field("Sex").select_option("female")
    field("Birth date").fill("1993-04-18")
    field("Weight (kg)").fill("61.5")
    field("Height (cm)").fill("168")
    field("Running experience").select_option("intermediate")
    field("Goal").select_option("half-marathon")
    field("Race day").fill(race.isoformat())
    field("Target time").fill("1:49:00")
    field("Weekly km now").fill("32")
    field("Longest run (km)").fill("14")
    field("Plan start").fill(start.isoformat())
    field("Runs a week").select_option("4")
    field("Strength sessions a week").select_option("2")
    field("Long-run day").select_option("sunday")
    shot(trainer, "add-client-form")
    add.click()

    expect(t.get_by_role("heading", name=f"{CLIENT_NAME} is added")).to_be_visible()
    expect(t.get_by_text(f"from {start:%a %d %b %Y}")).to_be_visible()
    invite = t.locator("#invite-link").inner_text().strip()
    assert re.fullmatch(re.escape(base) + r"/invite/[A-Za-z0-9_-]{20,}", invite), invite
    shot(trainer, "invite-link")
    maya_page = t.get_by_role("link", name=f"Open {CLIENT_NAME}'s page").get_attribute("href")
    assert maya_page is not None
    maya_id = int(maya_page.rsplit("/", 1)[1])

    # --- and a second client from a pasted profile (she never checks in) --------------------
    t.get_by_role("link", name="Back to clients").click()
    t.get_by_role("link", name="Add client").first.click()
    t.get_by_text("…or paste a profile (TOML)").click()
    paste = t.locator("form", has=t.get_by_role("button", name="Add client from this profile"))
    paste.get_by_label("E-mail").fill(OTHER_EMAIL)
    paste.get_by_label("Profile TOML").fill(
        f'[athlete]\nname = "{OTHER_NAME}"\nsex = "male"\nbirth_date = 1988-02-03\n'
        'weight_kg = 74.0\nheight_cm = 181.0\nexperience = "intermediate"\n\n'
        f'[goal]\nevent = "10k"\ndate = {(start + timedelta(weeks=11, days=5)).isoformat()}\n\n'
        "[fitness]\nweekly_km = 25.0\nlong_run_km = 10.0\n\n"
        f"[schedule]\nstart = {start.isoformat()}\nrun_days = 3\nstrength_sessions = 2\n"
        'long_run_day = "saturday"\n'
    )
    shot(trainer, "add-client-from-profile")
    paste.get_by_role("button", name="Add client from this profile").click()
    expect(t.get_by_role("heading", name=f"{OTHER_NAME} is added")).to_be_visible()

    # --- Maya opens the invite on her phone and sets a password -----------------------------
    c.goto(invite)
    expect(c.get_by_role("heading", name=f"Welcome, {CLIENT_NAME}")).to_be_visible()
    c.get_by_label("Password", exact=True).fill(CLIENT_PASSWORD)
    c.get_by_label("Password again").fill(CLIENT_PASSWORD)
    shot(client, "set-password")
    c.get_by_role("button", name="Set password and sign in").tap()
    # Two argon2 computations (set the password, then sign in): seconds on a busy machine.
    expect(c).to_have_url(f"{base}/athletes/{maya_id}/today", timeout=30_000)
    expect(c.get_by_role("heading", name=re.compile("^Today"))).to_be_visible()
    expect(c.get_by_role("link", name=re.compile("^Check in now"))).to_be_visible()
    shot(client, "today-first-visit")

    # --- her past week of normal mornings, through "Check in for another day" ---------------
    nav = c.get_by_role("navigation", name="main")
    nav.get_by_role("link", name="Check in", exact=True).tap()
    other_day = c.get_by_label("Check in for another day")
    today = date.fromisoformat(other_day.input_value())  # the server's today for her
    assert today >= start
    for back in range(14, 0, -1):  # two weeks: the watch knows her usual answers
        day = today - timedelta(days=back)
        c.get_by_label("Check in for another day").fill(day.isoformat())
        c.get_by_role("button", name="Open", exact=True).tap()
        heading = c.get_by_role("heading", name=re.compile(f"^Check in {day:%a %d %b}"))
        expect(heading).to_be_visible()
        c.get_by_label("Sleep last night, hours").fill("7.5")
        _tap_scale(c, NORMAL)
        if back == 14:
            shot(client, "check-in-earlier-day")
        c.get_by_role("button", name="Save check-in").tap()
        expect(c).to_have_url(re.compile(r"/today\?saved=created&day=" + day.isoformat()))
        expect(c.get_by_text(f"Check-in saved for {day:%a %d %b}.")).to_be_visible()
        nav.get_by_role("link", name="Check in", exact=True).tap()

    # --- this morning: 4.5 h of poor sleep, sore, exhausted, low ----------------------------
    nav.get_by_role("link", name="Today", exact=True).tap()
    c.get_by_role("link", name=re.compile("^Check in now")).tap()
    expect(c.get_by_role("heading", name="Check in today")).to_be_visible()
    c.get_by_label("Sleep last night, hours").fill("4.5")
    _tap_scale(c, BAD)
    c.get_by_label("Note for your trainer (optional)").fill("Slept badly, legs very heavy.")
    shot(client, "check-in-bad-morning")
    c.get_by_role("button", name="Save check-in").tap()
    expect(c).to_have_url(f"{base}/athletes/{maya_id}/today?saved=created")
    status = c.get_by_role("region", name="status")
    badge = status.locator(".status-line .badge")
    expect(badge).to_have_text(re.compile("^red$", re.I))
    expect(badge).to_have_attribute("data-level", "red")
    expect(status.get_by_text("Clear warning signs")).to_be_visible()
    for rule in ("sleep-quality", "fatigue", "soreness", "mood"):
        expect(status.locator(f'[data-rule="{rule}-below-baseline"]')).to_have_count(1)
    expect(status.get_by_text("Checked in: slept 4.5 h.")).to_be_visible()
    shot(client, "today-red")

    # --- the trainer's dashboard: Maya red, first ------------------------------------------
    t.goto(f"{base}/trainer")
    rows = t.locator("#clients tbody tr")
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first).to_have_attribute("data-athlete", str(maya_id))
    expect(first).to_have_attribute("data-level", "red")
    first_badge = first.locator(".badge")
    expect(first_badge).to_have_text(re.compile("^red$", re.I))
    expect(first_badge).to_have_class(re.compile(r"\blevel-red\b"))
    expect(first.get_by_role("link", name=CLIENT_NAME)).to_be_visible()
    expect(first.locator('[data-rule="soreness-below-baseline"]')).to_have_count(1)
    expect(first.locator('[data-label="Last check-in"]')).to_have_text("today")
    second = rows.nth(1)
    expect(second.get_by_role("link", name=OTHER_NAME)).to_be_visible()
    expect(second).not_to_have_attribute("data-level", "red")
    expect(second.get_by_text("invite pending")).to_be_visible()
    expect(t.locator('[data-count-level="red"] b')).to_have_text("1")
    shot(trainer, "dashboard-red-first")

    # --- her page: red, the proposed adjustments with reasons, the charts -------------------
    first.get_by_role("link", name=CLIENT_NAME).click()
    expect(t).to_have_url(f"{base}/athletes/{maya_id}")
    expect(t.get_by_role("heading", name=re.compile("^" + CLIENT_NAME))).to_contain_text("red")
    expect(t.locator("#wellness .plot .main-svg").first).to_be_attached()
    expect(t.locator(".plot .main-svg").first).to_be_attached()
    section = t.locator("#adjustments")
    expect(section).to_contain_text("(red)")
    proposals = section.locator("li.proposal")
    expect(proposals.first).to_be_visible()
    changes = []
    for item in proposals.all():
        summary = item.locator("label span").first.inner_text()
        action, shown_day, title = (part.strip() for part in summary.split(" · ", 2))
        reason = item.locator(".reason").inner_text()
        assert "Why:" in reason, reason
        assert "below-baseline" in reason, reason
        expect(item.get_by_role("checkbox")).to_be_checked()
        changes.append((item.get_attribute("data-key"), action, shown_day, title))
    assert changes, "no adjustment was proposed for a red day"
    assert all(key for key, *_ in changes), changes
    shot(trainer, "client-page-proposals")

    # --- Maya looks at her plan: nothing changed yet ---------------------------------------
    nav.get_by_role("link", name="Plan", exact=True).tap()
    expect(c).to_have_url(f"{base}/athletes/{maya_id}/calendar")
    expect(c.locator(".plan-summary")).to_contain_text("version 1")
    before = {}
    for key, *_ in changes:
        entry = _calendar_entry(c, maya_id, key)
        assert entry is not None, f"session {key} is not on the calendar before approval"
        assert "✎" not in entry[1], entry
        before[key] = entry
    _calendar_link(c, maya_id, changes[0][0]).scroll_into_view_if_needed()
    shot(client, "calendar-before-approval", full_page=False)

    # --- the trainer approves them all -----------------------------------------------------
    section.get_by_label("Comment").fill("Take it easy — we talk on Friday.")
    section.get_by_role("button", name="Approve all").click()
    expect(t).to_have_url(re.compile(rf"/athletes/{maya_id}\?done=approved&v=2"))
    expect(t.get_by_role("status")).to_contain_text(
        "Adjustments approved and stored as a new plan version. (version 2)"
    )
    expect(section).to_contain_text("Nothing waits for a decision today.")
    expect(t.locator("#versions .current-version")).to_contain_text("v2 (current)")
    shot(trainer, "approved")

    # --- Maya's calendar shows the changed sessions ----------------------------------------
    c.reload()
    expect(c.locator(".plan-summary")).to_contain_text("version 2")
    shown, visibly = 0, []
    for key, action, proposed_day, title in changes:
        entry = _calendar_entry(c, maya_id, key)
        if entry is None:
            assert action == "rest", f"{action} of {title!r}: the session left the calendar"
            continue  # a rest day's session that could not move is dropped from the plan
        day, text, css = entry
        assert "✎" in text, f"{action} of {title!r} is not marked as changed: {text!r}"
        assert "changed" in css.split(), css
        if action == "rest":
            assert day != proposed_day, f"{title!r} is still on the rest day {day}"
        was_day, was_text, _ = before[key]
        if day != was_day or text.replace("✎", "").split() != was_text.split():
            visibly.append(f"{was_day} {was_text!r} → {day} {text!r}")
        shown += 1
    assert shown, f"none of the approved changes shows on the calendar: {changes}"
    assert visibly, f"the calendar shows no approved change but the ✎ marks: {changes}"
    if any(
        action == "lower intensity" and title.endswith("— heavy") for _, action, _, title in changes
    ):
        expect(c.get_by_role("link", name=re.compile(r"— light"))).not_to_have_count(0)
    for key, *_ in changes:
        if _calendar_link(c, maya_id, key).count():
            _calendar_link(c, maya_id, key).scroll_into_view_if_needed()
            break
    shot(client, "calendar-changed", full_page=False)

    # --- and today's page follows the new version ------------------------------------------
    nav.get_by_role("link", name="Today", exact=True).tap()
    expect(c.get_by_text("plan version 2")).to_be_visible()
    if any(action == "rest" and day == f"{today:%a %d %b}" for _, action, day, _ in changes):
        expect(c.get_by_text("Rest day: nothing planned.")).to_be_visible()
    shot(client, "today-after-approval")
