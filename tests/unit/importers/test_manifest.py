"""Every reference file is imported and compared with its ground truth in ``manifest.json``.

The ground truth comes from reference parsers (Garmin's FIT SDK, gpxpy, tcxreader); see the
manifest's ``schema`` entry. Tolerances: instants and durations ±1 s, distance ±0.5 %, heart rate
±1 bpm, counts exact. Where runlift deliberately differs from the reference for one file, the
difference is listed in ``DOCUMENTED`` with its reason, and the test checks that the manifest's
own cross-check (a second, independent parser) reports the same disagreement where it applies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from runlift.adapters.importers import ImportFailed, parse_activity
from runlift.domain.activities import CompletedActivity

from ._data import manifest_entries, read

ENTRIES = manifest_entries()

# FIT (sport, sub_sport) names -> runlift sport; a sub_sport of None matches any.
FIT_SPORTS: dict[tuple[str, str | None], str] = {
    ("running", None): "run",
    ("walking", None): "walk",
    ("hiking", None): "walk",
    ("cycling", None): "cross",
    ("swimming", None): "cross",
    ("rowing", None): "cross",
    ("training", "strength_training"): "strength",
    ("training", "yoga"): "mobility",
    ("transition", None): "other",
    ("volleyball", None): "other",
}
TEXT_SPORTS = {
    None: "run",  # GPX without <type>: a run
    "running": "run",
    "cycling": "cross",
    "1": "cross",  # Strava's numeric code for a ride
    "Running": "run",
    "Biking": "cross",
    "Other": "other",
}

# (file, field) -> (the value runlift gives, why it differs from the reference parser).
DOCUMENTED: dict[tuple[str, str], tuple[Any, str]] = {
    ("fit/fitparse__antfs-dump.63.fit", "records"): (
        686,
        "the SDK cannot decode compressed-timestamp records and reports 0; fitdecode decodes "
        "all 686 (the manifest cross-check lists the same difference)",
    ),
    ("fit/fitparse__antfs-dump.63.fit", "records_with_heart_rate"): (
        685,
        "follows from the records above: 685 of the 686 decoded records carry heart rate",
    ),
    ("fit/fitparse__strava-android-app-201.10-b1218918.fit", "records"): (
        472,
        "the last record before the break has a garbage timestamp (decades after the session); "
        "runlift drops it with a warning, the SDK keeps it",
    ),
}


def _fit_sport(sport: str | None, sub_sport: str | None) -> str:
    return FIT_SPORTS.get((sport or "", sub_sport), FIT_SPORTS.get((sport or "", None), "other"))


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def _expected_refusal(entry: dict[str, Any]) -> str | None:
    """The phrase runlift's error must contain, when the file is not an importable activity."""
    g = entry["ground_truth"]
    fmt = entry["format"]
    if fmt == "fit":
        if g["file_type"] != "activity":
            return f"a FIT {g['file_type']} file, not an activity"
        if not g["sessions"] and g["records"] < 2:  # a file_id and a lone record: nothing to log
            return "holds no activity data"
    elif fmt == "gpx":
        if g["decode_errors"]:  # marked broken: gpxpy refuses it
            return "is not valid GPX"
        if not g["records"]:  # routes and waypoints are plans, not activities
            return "has no track points"
        if not g["records_with_time"]:
            return "has no timestamps"
    elif fmt == "tcx" and b"<Courses>" in read(entry["file"]) and not g["records"]:
        return "a TCX course, not an activity"
    return None


class _Check:
    """Collects every mismatch of one file, so a failure shows them all at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[str] = []

    def documented(self, field: str, expected: Any) -> Any:
        return DOCUMENTED.get((self.file, field), (expected, ""))[0]

    def equal(self, field: str, ours: Any, expected: Any) -> None:
        expected = self.documented(field, expected)
        if ours != expected:
            self.problems.append(f"{field}: ours {ours!r}, expected {expected!r}")

    def close(self, field: str, ours: float | None, expected: float | None, tol: float) -> None:
        expected = self.documented(field, expected)
        if expected is None or ours is None:
            if ours is not expected:
                self.problems.append(f"{field}: ours {ours!r}, expected {expected!r}")
        elif abs(ours - expected) > tol:
            self.problems.append(f"{field}: ours {ours!r}, expected {expected!r} ±{tol}")

    def distance(self, field: str, ours: float | None, expected: float | None) -> None:
        tol = max(0.005 * expected, 0.5) if expected else 0.5
        self.close(field, ours, expected, tol)

    def instant(self, field: str, ours: datetime | None, expected: datetime | None) -> None:
        if ours is None or expected is None:
            self.equal(field, ours, expected)
        elif abs((ours - expected).total_seconds()) > 1:
            self.problems.append(f"{field}: ours {ours.isoformat()}, expected {expected}")


def _hr_points(activity: CompletedActivity) -> list[float]:
    return [h for h in activity.streams.hr if h is not None]


def _expected_hr(g: dict[str, Any]) -> tuple[float | None, float | None]:
    """Session HR, or (when the session has none) the mean/max over the records.

    runlift falls back on the record heart rate when the summary lacks it (the TrainingPeaks,
    Stryd and COROS files); a summary of 0 bpm means no sensor and becomes None.
    """
    avg, peak = g["avg_heart_rate"] or None, g["max_heart_rate"] or None
    if avg is None:
        avg = g.get("record_avg_heart_rate")
    if peak is None:
        peak = g.get("record_max_heart_rate")
    return avg, peak


def _check_fit(check: _Check, g: dict[str, Any], activities: list[CompletedActivity]) -> None:
    sessions = g["sessions"] or [None]
    check.equal("legs", len(activities), len(sessions))
    if len(sessions) == 1:
        a = activities[0]
        check.equal("leg_index", a.leg_index, None)
        check.equal("sport", a.sport, _fit_sport(g["sport"], g["sub_sport"]))
        check.equal("source_sport", a.source_sport, g["sport"])
        check.equal("sub_sport", a.sub_sport, g["sub_sport"])
        start = None if g["start_time_is_device_relative"] else _instant(g["start_time_utc"])
        if g["sessions"]:
            check.instant("start", a.start, start)
            check.close("elapsed", a.elapsed_s, g["total_elapsed_time_s"], 1.0)
            check.close("timer", a.timer_s, g["total_timer_time_s"], 1.0)
            check.distance("distance", a.distance_m, g["distance_m"])
        else:  # no session summary: rebuilt from the records
            check.instant("start", a.start, _instant(g["first_record_utc"]))
            check.close("elapsed", a.elapsed_s, g["record_span_s"], 1.0)
            check.distance("distance", a.distance_m, g["last_record_distance_m"])
            check.equal("warned", any("no session" in w for w in a.warnings), True)
        avg, peak = _expected_hr(g)
        check.close("avg_hr", a.avg_hr, avg, 1.0)
        check.close("max_hr", a.max_hr, peak, 1.0)
    else:
        for i, (a, s) in enumerate(zip(activities, sessions, strict=False)):
            check.equal(f"leg {i} index", a.leg_index, i)
            check.equal(f"leg {i} sport", a.sport, _fit_sport(s["sport"], s["sub_sport"]))
            check.equal(f"leg {i} source_sport", a.source_sport, s["sport"])
            check.equal(f"leg {i} sub_sport", a.sub_sport, s["sub_sport"])
            check.instant(f"leg {i} start", a.start, _instant(s["start_time_utc"]))
            check.close(f"leg {i} elapsed", a.elapsed_s, s["total_elapsed_time_s"], 1.0)
            check.close(f"leg {i} timer", a.timer_s, s["total_timer_time_s"], 1.0)
            check.distance(f"leg {i} distance", a.distance_m, s["distance_m"])
            check.close(f"leg {i} avg_hr", a.avg_hr, s["avg_heart_rate"], 1.0)
            check.close(f"leg {i} max_hr", a.max_hr, s["max_heart_rate"], 1.0)
        check.close(
            "total elapsed", sum(a.elapsed_s for a in activities), g["total_elapsed_time_s"], 1
        )
    check.equal("laps", sum(len(a.laps) for a in activities), g["laps"])
    check.equal("records", sum(len(a.streams) for a in activities), g["records"])
    hr_points = [h for a in activities for h in _hr_points(a)]
    check.equal("records_with_heart_rate", len(hr_points), g["records_with_heart_rate"])
    if hr_points and g["record_avg_heart_rate"] is not None:
        check.close(
            "record mean HR", sum(hr_points) / len(hr_points), g["record_avg_heart_rate"], 1
        )
    check.equal("active sets", sum(len(a.strength_sets) for a in activities), g["active_sets"] or 0)
    for a in activities:
        check.equal("device has manufacturer", g["manufacturer"] in (a.device or ""), True)
        product = g["product"]
        if isinstance(product, str) and product.isprintable() and not product.startswith("["):
            check.equal("device has product", product in (a.device or ""), True)
        check.equal("format", a.source_format, "fit")


def _check_text(check: _Check, g: dict[str, Any], activities: list[CompletedActivity]) -> None:
    check.equal("activities", len(activities), 1)
    a = activities[0]
    check.equal("sport", a.sport, TEXT_SPORTS.get(g["sport"], "other"))
    check.equal("source_sport", a.source_sport, g["sport"])
    check.instant("start", a.start, _instant(g["start_time_utc"]))
    check.close("elapsed", a.elapsed_s, g["total_elapsed_time_s"], 1.0)
    check.close("timer", a.timer_s, g["total_timer_time_s"], 1.0)
    check.distance("distance", a.distance_m, g["distance_m"])
    check.close("avg_hr", a.avg_hr, g["avg_heart_rate"], 1.0)
    check.close("max_hr", a.max_hr, g["max_heart_rate"], 1.0)
    check.equal("laps", len(a.laps), g["laps"] or 0)
    timed = g.get("records_with_time", g["records"])  # GPX streams hold the timed points
    check.equal("records", len(a.streams), timed)
    check.equal("records_with_heart_rate", len(_hr_points(a)), g["records_with_heart_rate"])
    if g.get("creator"):
        check.equal("device", a.device is not None, True)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_reference_file_matches_ground_truth(entry: dict[str, Any]) -> None:
    refusal = _expected_refusal(entry)
    if refusal is not None:
        with pytest.raises(ImportFailed) as caught:
            parse_activity(read(entry["file"]), entry["file"])
        assert caught.value.file == entry["file"]
        assert refusal in str(caught.value)
        return

    activities = parse_activity(read(entry["file"]), entry["file"])
    check = _Check(entry["file"])
    if entry["format"] == "fit":
        _check_fit(check, entry["ground_truth"], activities)
    else:
        _check_text(check, entry["ground_truth"], activities)
    for a in activities:
        assert a.source_file == entry["file"]
        assert a.start is None or a.start.utcoffset() is not None
        lengths = {len(getattr(a.streams, f)) for f in a.streams.__slots__}
        assert len(lengths) == 1, "every stream has one value per record"
    assert not check.problems, "\n".join([entry["file"], *check.problems])


def test_documented_differences_are_the_ones_the_manifest_reports() -> None:
    """A documented FIT difference must appear in the manifest's own cross-check (when it is a
    decoder difference), so the exception cannot silently drift away from the data."""
    by_file = {e["file"]: e for e in ENTRIES}
    for (file, field), (value, reason) in DOCUMENTED.items():
        assert reason
        entry = by_file[file]
        differences = {d["field"]: d for d in entry["crosscheck"].get("differences", [])}
        if field in differences:
            assert differences[field]["fitdecode"] == value
        else:  # not a decoder disagreement: the file must be marked broken in the manifest
            assert "BROKEN" in entry["notes"]


def test_every_manifest_file_was_copied() -> None:
    assert len(ENTRIES) >= 60
    for entry in ENTRIES:
        assert len(read(entry["file"])) == entry["bytes"]
