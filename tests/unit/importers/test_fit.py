"""FIT specifics: damaged files, refused file types, hr merging, multisport legs, strength sets."""

from __future__ import annotations

import pytest

from runlift.adapters.importers import ImportFailed, parse_activity
from runlift.adapters.importers.fit import map_fit_sport, parse_fit
from runlift.domain.activities import ActivitySport

from ._data import load_manifest, read

EDGE_500 = "fit/fitparse__garmin-edge-500-activity.fit"
TRIATHLON = "fit/fitparse__sample_mulitple_header.fit"
POOL_SWIM = "fit/fitparse__event_timestamp.fit"
STRENGTH = "fit/fitanalyzer__20474406937_ACTIVITY.fit"
BIKE_THEN_STRENGTH = "fit/fitanalyzer__20744294788_ACTIVITY.fit"
CLOCK_NEVER_SET = "fit/fitparse__antfs-dump.63.fit"


def _ground_truth(file: str) -> dict[str, object]:
    entry = next(e for e in load_manifest()["files"] if e["file"] == file)
    truth: dict[str, object] = entry["ground_truth"]
    return truth


def test_truncated_file_keeps_the_records_before_the_break() -> None:
    raw = read(EDGE_500)
    whole = parse_fit(raw, "ride.fit")[0]
    (cut,) = parse_activity(raw[: len(raw) // 2], "ride.fit")

    assert 0 < len(cut.streams) < len(whole.streams)
    n = len(cut.streams)
    assert cut.streams.hr == whole.streams.hr[:n]
    assert cut.streams.distance_m == whole.streams.distance_m[:n]
    assert cut.streams.lat == whole.streams.lat[:n]
    assert any("truncated or damaged" in w for w in cut.warnings)
    assert any("no session summary" in w for w in cut.warnings)
    # Totals are rebuilt from what survived: the first half of the ride.
    assert cut.start is not None
    assert whole.start is not None
    assert abs((cut.start - whole.start).total_seconds()) <= 1
    assert 0 < cut.elapsed_s < whole.elapsed_s
    assert cut.distance_m is not None
    assert whole.distance_m is not None
    assert 0 < cut.distance_m < whole.distance_m
    assert cut.sport == ActivitySport.CROSS


def test_file_crc_mismatch_is_a_warning_not_a_refusal() -> None:
    raw = bytearray(read(EDGE_500))
    raw[-1] ^= 0xFF  # the file CRC
    (activity,) = parse_activity(bytes(raw), "ride.fit")
    assert any("CRC mismatch" in w for w in activity.warnings)
    assert len(activity.streams) == 10686


def test_header_crc_mismatch_is_a_warning_not_a_refusal() -> None:
    raw = bytearray(read("fit/fitparse__garmin-fenix-5-run.fit"))
    assert raw[0] == 14  # a 14-byte header ...
    assert raw[12:14] != b"\x00\x00"  # ... that carries a CRC
    raw[12] ^= 0x5A
    (activity,) = parse_activity(bytes(raw), "run.fit")
    assert any("header CRC mismatch" in w for w in activity.warnings)
    assert activity.elapsed_s == pytest.approx(56.887)


def test_corrupt_data_byte_is_salvaged_with_a_warning() -> None:
    raw = bytearray(read(EDGE_500))
    raw[len(raw) * 3 // 4] ^= 0xFF  # somewhere in the records
    activities = parse_activity(bytes(raw), "ride.fit")
    assert activities
    assert any("CRC" in w or "damaged" in w for w in activities[0].warnings)


@pytest.mark.parametrize(
    ("file", "kind"),
    [
        ("fit/fittool__trainerroad_744490.fit", "workout"),
        ("fit/fittool__stagesLink_25622166.fit", "workout"),
        ("fit/fitparse__Settings2.fit", "settings"),
        ("fit/fittool__old_stage_lefthand_lee.fit", "course"),
    ],
)
def test_non_activity_files_are_refused_by_name(file: str, kind: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_activity(read(file), "plan.fit")
    assert str(caught.value) == f"plan.fit: a FIT {kind} file, not an activity"
    assert caught.value.file == "plan.fit"
    assert caught.value.reason == f"a FIT {kind} file, not an activity"


@pytest.mark.parametrize("raw", [b"\x00" * 64, b"not a fit file at all", bytes(range(256)) * 8])
def test_garbage_is_not_a_fit_file(raw: bytes) -> None:
    with pytest.raises(ImportFailed, match=r"^junk\.fit: is not a FIT file"):
        parse_activity(raw, "junk.fit")


def test_header_only_file_is_refused_clearly() -> None:
    with pytest.raises(ImportFailed, match="truncated FIT file"):
        parse_activity(read(EDGE_500)[:14], "stub.fit")


def test_pool_swim_heart_rate_is_merged_from_hr_messages() -> None:
    (swim,) = parse_activity(read(POOL_SWIM), "swim.fit")
    truth = _ground_truth(POOL_SWIM)
    hr = [h for h in swim.streams.hr if h is not None]
    # fitdecode alone leaves every record without heart rate (the manifest's cross-check).
    assert truth["hr_messages"] == 1415
    assert len(hr) == len(swim.streams) == truth["records_with_heart_rate"]
    assert sum(hr) / len(hr) == pytest.approx(truth["record_avg_heart_rate"], abs=1)
    assert all(60 <= h <= 200 for h in hr)
    assert swim.sport == ActivitySport.CROSS
    assert swim.sub_sport == "lap_swimming"
    assert swim.source_sport == "swimming"


def test_triathlon_becomes_one_activity_per_leg() -> None:
    legs = parse_activity(read(TRIATHLON), "tri.fit")
    assert [(a.leg_index, a.source_sport, a.sport) for a in legs] == [
        (0, "swimming", "cross"),
        (1, "transition", "other"),
        (2, "cycling", "cross"),
        (3, "transition", "other"),
        (4, "running", "run"),
    ]
    starts = [a.start for a in legs]
    assert all(s is not None for s in starts)
    assert starts == sorted(starts)  # type: ignore[type-var]
    for a in legs:  # each leg's records fall within (about) its own session
        assert a.streams.t_s[0] >= -1
        assert a.streams.t_s[-1] <= a.elapsed_s + 2
        assert len(a.laps) == 1
    swim = legs[0]
    # The open-water swim has heart rate only in hr messages; merged, every record has it.
    assert all(h is not None for h in swim.streams.hr)
    assert swim.avg_hr == 165


def test_bike_then_strength_multisport_splits_sets_to_the_strength_leg() -> None:
    bike, strength = parse_activity(read(BIKE_THEN_STRENGTH), "combo.fit")
    assert (bike.sport, strength.sport) == (ActivitySport.CROSS, ActivitySport.STRENGTH)
    assert bike.strength_sets == ()
    assert len(strength.strength_sets) == 41
    assert len(bike.laps) == 1
    assert len(strength.laps) == 0
    assert bike.distance_m == pytest.approx(4331.59)


def test_strength_sets_carry_category_reps_weight_and_duration() -> None:
    (session,) = parse_activity(read(STRENGTH), "gym.fit")
    assert session.sport == ActivitySport.STRENGTH
    assert session.sub_sport == "strength_training"
    sets = session.strength_sets
    assert len(sets) == 38
    assert all(s.exercise for s in sets)
    assert {"sit_up", "triceps_extension", "row", "lunge", "pull_up"} <= {s.exercise for s in sets}
    assert all(s.reps is None or s.reps >= 0 for s in sets)
    assert sum(s.reps or 0 for s in sets) > 100
    assert all(s.duration_s is not None and s.duration_s > 0 for s in sets)
    assert all(s.weight_kg is None or s.weight_kg >= 0 for s in sets)


def test_clock_never_set_means_unknown_start_with_a_warning() -> None:
    (run,) = parse_activity(read(CLOCK_NEVER_SET), "old.fit")
    assert run.start is None
    assert run.end is None
    assert any("clock was never set" in w for w in run.warnings)
    assert run.elapsed_s == pytest.approx(3426.898)
    # Times still run relative to the session start on the device's own clock.
    assert 0 <= run.streams.t_s[0] < 10
    assert run.streams.t_s[-1] == pytest.approx(run.elapsed_s, abs=5)


def test_positions_are_degrees_and_streams_align() -> None:
    (run,) = parse_activity(read("fit/fitparse__garmin-fenix-5-run.fit"), "run.fit")
    lats = [v for v in run.streams.lat if v is not None]
    lons = [v for v in run.streams.lon if v is not None]
    assert lats
    assert lons
    assert all(38 < v < 39 for v in lats)  # semicircles converted, not left raw
    assert all(-123 < v < -122 for v in lons)
    assert run.device == "garmin fenix5"
    assert run.streams.t_s == tuple(sorted(run.streams.t_s))


def test_garbage_timestamp_record_is_dropped_with_a_warning() -> None:
    (run,) = parse_activity(
        read("fit/fitparse__strava-android-app-201.10-b1218918.fit"), "strava.fit"
    )
    assert max(run.streams.t_s) < 4000
    assert any("dropped" in w for w in run.warnings)
    assert any("truncated or damaged" in w for w in run.warnings)
    assert run.distance_m == pytest.approx(11274.04)


@pytest.mark.parametrize(
    ("sport", "sub_sport", "expected"),
    [
        ("running", "trail", ActivitySport.RUN),
        ("running", "treadmill", ActivitySport.RUN),
        ("training", "strength_training", ActivitySport.STRENGTH),
        ("training", None, ActivitySport.STRENGTH),
        ("training", "yoga", ActivitySport.MOBILITY),
        ("training", "cardio_training", ActivitySport.CROSS),
        ("fitness_equipment", "strength_training", ActivitySport.STRENGTH),
        ("cycling", "indoor_cycling", ActivitySport.CROSS),
        ("swimming", "lap_swimming", ActivitySport.CROSS),
        ("rowing", None, ActivitySport.CROSS),
        ("cross_country_skiing", None, ActivitySport.CROSS),
        ("walking", None, ActivitySport.WALK),
        ("hiking", None, ActivitySport.WALK),
        ("generic", "pilates", ActivitySport.MOBILITY),
        ("volleyball", None, ActivitySport.OTHER),
        ("transition", None, ActivitySport.OTHER),
        (None, None, ActivitySport.OTHER),
        (250, None, ActivitySport.OTHER),  # a sport number newer than the profile
    ],
)
def test_fit_sport_mapping(sport: object, sub_sport: object, expected: str) -> None:
    assert map_fit_sport(sport, sub_sport) == expected


def test_intact_files_raise_no_crc_warnings_including_chained_ones() -> None:
    """The CRC check agrees with the reference on every file it calls intact (chained too)."""
    checked = 0
    for entry in load_manifest()["files"]:
        truth = entry["ground_truth"]
        if entry["format"] != "fit" or truth["file_type"] != "activity":
            continue
        intact = all(part["file_crc"] == "ok" for part in truth["crc"])
        if not intact or not truth["sessions"] or entry["bytes"] > 1_000_000:  # keep it quick
            continue
        activities = parse_fit(read(entry["file"]), entry["file"])
        assert not [w for a in activities for w in a.warnings if "CRC" in w], entry["file"]
        checked += 1
    assert checked >= 30
