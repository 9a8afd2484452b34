"""Texts the pages build for people from stored values."""

from __future__ import annotations

from datetime import date

import pytest

from runlift.application.watch import adjustment_reason
from runlift.domain.adjust import ACTIONS, Proposal
from runlift.web.app import _ACTION_WORDS, plan_reason


def test_an_adjusted_versions_reason_reads_as_words_for_the_client() -> None:
    stored = (
        "adjusted 2026-11-25: rest Hill repeats 7.2 km (sleep-quality-below-baseline); "
        "lower_intensity Base strength B — heavy (fatigue-below-baseline)"
    )
    assert plan_reason(stored) == (
        "adjusted on Wed 25 Nov: Hill repeats 7.2 km made a rest day; "
        "Base strength B — heavy made easier"
    )


@pytest.mark.parametrize("reason", ["first plan", "regenerated", "reverted to v2", ""])
def test_other_reasons_are_shown_as_they_are(reason: str) -> None:
    assert plan_reason(reason) == reason


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_stored_by_an_adjustment_reads_as_words(action: str) -> None:
    before: dict[str, object] = {"title": "Tempo run 9.3 km", "week": 5}
    proposal = Proposal(
        session_id="s1",
        action=action,  # type: ignore[arg-type]
        reason="why",
        finding="sleep-short",
        day=date(2026, 12, 9),
        before=before,
        after=None,
    )
    text = plan_reason(adjustment_reason(date(2026, 12, 9), [proposal]))
    assert text.startswith("adjusted on Wed 09 Dec: ")
    assert f": {action} " not in text  # no raw action id left
    assert text.endswith("Tempo run 9.3 km " + _ACTION_WORDS[action]) or action == "deload_forward"
    assert "sleep-short" not in text
