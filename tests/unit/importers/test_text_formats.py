"""GPX and TCX specifics: timestamps, extensions, sports, courses and hostile XML."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from runlift.adapters.importers import ImportFailed, parse_activity
from runlift.adapters.importers.gpx import map_gpx_type
from runlift.adapters.importers.tcx import map_tcx_sport
from runlift.domain.activities import ActivitySport

from ._data import read

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
    'xmlns:tpx2="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">'
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def _gpx(points: str, track_type: str | None = None) -> bytes:
    kind = f"<type>{track_type}</type>" if track_type is not None else ""
    return f"{GPX_HEAD}<trk>{kind}<trkseg>{points}</trkseg></trk></gpx>".encode()


def _pt(lat: float, t: str | None, ext: str = "") -> str:
    when = f"<time>{t}</time>" if t else ""
    extensions = f"<extensions>{ext}</extensions>" if ext else ""
    return f'<trkpt lat="{lat}" lon="13.0"><ele>100</ele>{when}{extensions}</trkpt>'


# --- GPX ----------------------------------------------------------------------------------


def test_gpx_without_any_time_is_refused() -> None:
    raw = _gpx(_pt(47.0, None) + _pt(47.001, None))
    with pytest.raises(ImportFailed, match=r"^walk\.gpx: has no timestamps"):
        parse_activity(raw, "walk.gpx")


def test_gpx_without_track_points_is_refused() -> None:
    with pytest.raises(ImportFailed, match="has no track points"):
        parse_activity(read("gpx/gpxpy__route.gpx"), "route.gpx")


def test_gpx_with_utf8_bom_is_read() -> None:
    raw = b"\xef\xbb\xbf" + _gpx(
        _pt(47.0, "2024-05-01T06:00:00Z") + _pt(47.01, "2024-05-01T06:05:00Z")
    ).replace(b'creator="test"', 'creator="Žiga\'s watch"'.encode())
    (run,) = parse_activity(raw, "bom.gpx")
    assert run.device == "Žiga's watch"
    assert run.elapsed_s == 300
    assert run.distance_m == pytest.approx(1112, rel=0.01)  # 0.01° of latitude


def test_gpx_extensions_in_every_common_dialect() -> None:
    points = (
        _pt(
            47.0,
            "2024-05-01T06:00:00Z",
            "<gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr>"
            "<gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension>",
        )
        + _pt(
            47.0001,
            "2024-05-01T06:00:01Z",
            "<tpx2:TrackPointExtension><tpx2:hr>130</tpx2:hr></tpx2:TrackPointExtension>",
        )
        + _pt(47.0002, "2024-05-01T06:00:02Z", "<hr>140</hr><power>250</power>")
        + _pt(
            47.0003,
            "2024-05-01T06:00:03Z",
            "<gpxtpx:PowerExtension><gpxtpx:PowerInWatts>"
            "260</gpxtpx:PowerInWatts></gpxtpx:PowerExtension>",
        )
    )
    (run,) = parse_activity(_gpx(points, "running"), "ext.gpx")
    assert run.streams.hr == (120, 130, 140, None)
    assert run.streams.cadence == (80, None, None, None)
    assert run.streams.power_w == (None, None, 250, 260)
    assert run.avg_hr == pytest.approx(130)
    assert run.max_hr == 140
    assert run.sport == ActivitySport.RUN


def test_gpx_naive_times_are_read_as_utc_with_a_warning() -> None:
    raw = _gpx(_pt(47.0, "2024-05-01T06:00:00") + _pt(47.001, "2024-05-01T06:01:00"))
    (run,) = parse_activity(raw, "naive.gpx")
    assert run.start == datetime(2024, 5, 1, 6, tzinfo=UTC)
    assert any("time zone" in w for w in run.warnings)


def test_gpx_offset_times_become_utc() -> None:
    raw = _gpx(_pt(47.0, "2024-05-01T08:00:00+02:00") + _pt(47.001, "2024-05-01T08:01:00+02:00"))
    (run,) = parse_activity(raw, "offset.gpx")
    assert run.start == datetime(2024, 5, 1, 6, tzinfo=UTC)
    assert run.start.utcoffset() is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ActivitySport.RUN),
        ("", ActivitySport.RUN),
        ("running", ActivitySport.RUN),
        ("Trail Running", ActivitySport.RUN),
        ("9", ActivitySport.RUN),
        ("1", ActivitySport.CROSS),
        ("cycling", ActivitySport.CROSS),
        ("Ride", ActivitySport.CROSS),
        ("hiking", ActivitySport.WALK),
        ("walking", ActivitySport.WALK),
        ("WeightTraining", ActivitySport.STRENGTH),
        ("yoga", ActivitySport.MOBILITY),
        ("jkljkl", ActivitySport.OTHER),
    ],
)
def test_gpx_type_mapping(text: str | None, expected: str) -> None:
    assert map_gpx_type(text) == expected


def test_gpx_billion_laughs_is_refused_without_expansion() -> None:
    raw = (BILLION_LAUGHS + '<gpx version="1.1" creator="&lol9;"><trk/></gpx>').encode()
    began = time.perf_counter()
    with pytest.raises(ImportFailed, match="entit"):
        parse_activity(raw, "bomb.gpx")
    assert time.perf_counter() - began < 1.0


def test_binary_content_named_gpx_is_not_xml() -> None:
    with pytest.raises(ImportFailed, match=r"^x\.gpx: is not XML"):
        parse_activity(b"\x00\x01\x02garbage\xff", "x.gpx")


# --- TCX ----------------------------------------------------------------------------------

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def _tcx(activities: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="{TCX_NS}">'
        f"<Activities>{activities}</Activities></TrainingCenterDatabase>"
    ).encode()


def _tcx_activity(sport: str, start: str, seconds: int, hr: int) -> str:
    return (
        f'<Activity Sport="{sport}"><Id>{start}</Id><Lap StartTime="{start}">'
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds><DistanceMeters>1000</DistanceMeters>"
        f"<Track><Trackpoint><Time>{start}</Time><HeartRateBpm><Value>{hr}</Value>"
        f"</HeartRateBpm></Trackpoint></Track></Lap></Activity>"
    )


def test_tcx_course_is_refused_by_name() -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_activity(read("tcx/togeojson__tcx-courses.tcx"), "route.tcx")
    assert str(caught.value) == "route.tcx: a TCX course, not an activity"


def test_tcx_billion_laughs_is_refused_without_expansion() -> None:
    raw = (
        BILLION_LAUGHS + f'<TrainingCenterDatabase xmlns="{TCX_NS}"><Activities>'
        '<Activity Sport="Running"><Id>&lol9;</Id></Activity></Activities>'
        "</TrainingCenterDatabase>"
    ).encode()
    began = time.perf_counter()
    with pytest.raises(ImportFailed, match=r"^bomb\.tcx: declares XML entities"):
        parse_activity(raw, "bomb.tcx")
    assert time.perf_counter() - began < 1.0


def test_tcx_external_entity_is_refused() -> None:
    raw = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        f'<TrainingCenterDatabase xmlns="{TCX_NS}"><Author><Name>&ext;</Name></Author>'
        "</TrainingCenterDatabase>"
    ).encode()
    with pytest.raises(ImportFailed, match="entit"):
        parse_activity(raw, "xxe.tcx")


def test_tcx_malformed_xml_is_refused() -> None:
    with pytest.raises(ImportFailed, match=r"^cut\.tcx: is not well-formed XML"):
        parse_activity(read("tcx/tcxparser__test.tcx")[:5000], "cut.tcx")


def test_tcx_with_several_activities_gives_each() -> None:
    raw = _tcx(
        _tcx_activity("Running", "2024-05-01T06:00:00Z", 1800, 150)
        + _tcx_activity("Biking", "2024-05-02T06:00:00+02:00", 3600, 130)
    )
    run, ride = parse_activity(raw, "two.tcx")
    assert (run.sport, ride.sport) == (ActivitySport.RUN, ActivitySport.CROSS)
    assert ride.start == datetime(2024, 5, 2, 4, tzinfo=UTC)
    assert (run.timer_s, ride.timer_s) == (1800, 3600)
    assert (run.avg_hr, ride.avg_hr) == (150, 130)
    # A single trackpoint spans no time: the duration comes from the laps, with a warning.
    assert run.elapsed_s == 1800
    assert any("from the laps" in w for w in run.warnings)


def test_tcx_naive_times_are_read_as_utc_with_a_warning() -> None:
    (run,) = parse_activity(_tcx(_tcx_activity("Running", "2024-05-01T06:00:00", 60, 140)), "n.tcx")
    assert run.start == datetime(2024, 5, 1, 6, tzinfo=UTC)
    assert any("time zone" in w for w in run.warnings)


def test_tcx_time_zone_offsets_are_honoured() -> None:
    (ride,) = parse_activity(read("tcx/togeojson__bad.tcx"), "bad.tcx")
    assert ride.start == datetime(2020, 12, 27, 14, 59, 36, tzinfo=UTC)  # written as +01:00
    assert ride.streams.lat[0] is None  # a 0/0 "null island" position is no position


def test_tcx_speed_power_and_distance_streams() -> None:
    (ride,) = parse_activity(read("tcx/sweatpy__activity_5039744860.tcx"), "ride.tcx")
    assert ride.streams.speed_mps[0] == pytest.approx(6.438, abs=0.001)
    assert ride.streams.power_w[0] == 162
    assert ride.streams.distance_m[0] == pytest.approx(6.59, abs=0.01)
    assert ride.device == "Garmin Edge 1000"


@pytest.mark.parametrize(
    ("sport", "expected"),
    [("Running", "run"), ("Biking", "cross"), ("Other", "other"), (None, "other")],
)
def test_tcx_sport_mapping(sport: str | None, expected: str) -> None:
    assert map_tcx_sport(sport) == expected
