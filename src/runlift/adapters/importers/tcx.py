"""TCX (Garmin Training Center) activities, read with the standard XML parser via ``defusedxml``.

DTDs may be present but entity declarations and external references are refused, so a file
cannot expand itself (billion laughs) or pull in outside content. Every ``<Activity>`` becomes one
activity: elapsed time runs from the first to the last trackpoint (falling back on the laps),
distance and timer time are the sums over the laps, heart rate is the mean over the trackpoints.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import defusedxml
import defusedxml.ElementTree as DET

from runlift.adapters.importers.errors import ImportFailed
from runlift.domain.activities import ActivitySport, CompletedActivity, Lap, Streams

__all__ = ["map_tcx_sport", "parse_tcx"]

_SPORTS = {"running": ActivitySport.RUN, "biking": ActivitySport.CROSS}
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def map_tcx_sport(sport: str | None) -> str:
    """TCX knows three sports: Running, Biking and Other."""
    return _SPORTS.get((sport or "").strip().lower(), ActivitySport.OTHER)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1 :]


def _children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    for child in el:
        if _local(child.tag) == name:
            yield child


def _child_text(el: ET.Element, *path: str) -> str | None:
    node: ET.Element | None = el
    for name in path:
        node = next(_children(node, name), None) if node is not None else None
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None


class _Clock:
    """Parses TCX times to aware UTC; remembers whether any lacked a time zone."""

    def __init__(self) -> None:
        self.naive = False

    def parse(self, text: str | None) -> datetime | None:
        if not text:
            return None
        try:
            t = datetime.fromisoformat(_LONG_FRACTION.sub(r"\1", text.strip()))
        except ValueError:
            return None
        if t.tzinfo is None:
            self.naive = True
            return t.replace(tzinfo=UTC)
        return t.astimezone(UTC)


def _trackpoint(tp: ET.Element, clock: _Clock) -> tuple[Any, ...]:
    t = lat = lon = alt = dist = hr = cad = speed = watts = None
    for child in tp:
        name = _local(child.tag)
        if name == "Time":
            t = clock.parse(child.text)
        elif name == "Position":
            lat = _number(_child_text(child, "LatitudeDegrees"))
            lon = _number(_child_text(child, "LongitudeDegrees"))
        elif name == "AltitudeMeters":
            alt = _number(child.text)
        elif name == "DistanceMeters":
            dist = _number(child.text)
        elif name == "HeartRateBpm":
            hr = _number(_child_text(child, "Value"))
        elif name == "Cadence":
            cad = _number(child.text)
        elif name == "Extensions":
            for el in child.iter():
                ext = _local(el.tag)
                if ext == "Speed":
                    speed = _number(el.text)
                elif ext == "Watts":
                    watts = _number(el.text)
                elif ext == "RunCadence" and cad is None:
                    cad = _number(el.text)
    if lat == 0.0 and lon == 0.0:  # "null island": a placeholder, not a position
        lat = lon = None
    if hr is not None and hr <= 0:
        hr = None
    return t, lat, lon, alt, dist, hr, cad, speed, watts


def _activity(act: ET.Element, name: str, device: str | None) -> CompletedActivity:
    clock = _Clock()
    laps: list[Lap] = []
    lap_hr: list[tuple[float, float]] = []
    points: list[tuple[Any, ...]] = []
    for lap_el in _children(act, "Lap"):
        start = clock.parse(lap_el.get("StartTime"))
        total = _number(_child_text(lap_el, "TotalTimeSeconds"))
        avg = _number(_child_text(lap_el, "AverageHeartRateBpm", "Value"))
        laps.append(
            Lap(
                start=start,
                elapsed_s=total,
                timer_s=total,
                distance_m=_number(_child_text(lap_el, "DistanceMeters")),
                avg_hr=avg,
                max_hr=_number(_child_text(lap_el, "MaximumHeartRateBpm", "Value")),
            )
        )
        if avg and total:
            lap_hr.append((avg, total))
        for el in lap_el.iter():
            if _local(el.tag) == "Trackpoint":
                points.append(_trackpoint(el, clock))

    timed = [p for p in points if p[0] is not None]
    notes: list[str] = []
    timer = sum(lap.timer_s for lap in laps if lap.timer_s is not None) if laps else None
    if timer is not None and not any(lap.timer_s is not None for lap in laps):
        timer = None
    lap_starts = [lap.start for lap in laps if lap.start is not None]
    activity_id = clock.parse(_child_text(act, "Id"))
    if len(timed) >= 2:
        start = timed[0][0]
        elapsed = (timed[-1][0] - start).total_seconds()
        if elapsed < 0:
            start = min(p[0] for p in timed)
            elapsed = (max(p[0] for p in timed) - start).total_seconds()
            notes.append("trackpoint times run backwards in places")
    else:
        start = min(lap_starts) if lap_starts else timed[0][0] if timed else activity_id
        if start is None:
            raise ImportFailed(name, "has no timestamps (no trackpoint, lap or activity time)")
        ends = [
            lap.start + timedelta(seconds=lap.elapsed_s)
            for lap in laps
            if lap.start is not None and lap.elapsed_s is not None
        ]
        elapsed = (max(ends) - start).total_seconds() if ends else (timer or 0.0)
        notes.append("fewer than two timed trackpoints: the duration comes from the laps")
    if len(timed) >= 2 and timer is not None and timer > elapsed + 60:
        notes.append(f"the trackpoints span {elapsed:.0f} s but the laps add up to {timer:.0f} s")
    if len(timed) < len(points):
        notes.append(f"{len(points) - len(timed)} of {len(points)} trackpoints have no time")
    if clock.naive:
        notes.append("times carry no time zone and were read as UTC")

    lap_distances = [lap.distance_m for lap in laps if lap.distance_m is not None]
    distance = sum(lap_distances) if lap_distances else None
    if distance is None:
        point_distances = [p[4] for p in points if p[4] is not None]
        distance = max(point_distances) if point_distances else None

    hr_values = [p[5] for p in points if p[5] is not None]
    if hr_values:
        avg_hr: float | None = sum(hr_values) / len(hr_values)
        max_hr: float | None = max(hr_values)
    else:
        weight = sum(w for _, w in lap_hr)
        avg_hr = sum(a * w for a, w in lap_hr) / weight if weight else None
        lap_max = [lap.max_hr for lap in laps if lap.max_hr]
        max_hr = max(lap_max) if lap_max else None

    ascent = 0.0
    have_alt = False
    prev_alt = None
    for p in timed:
        if p[3] is not None:
            have_alt = True
            if prev_alt is not None and p[3] > prev_alt:
                ascent += p[3] - prev_alt
            prev_alt = p[3]

    origin = start
    streams = Streams(
        t_s=tuple((p[0] - origin).total_seconds() for p in timed),
        hr=tuple(p[5] for p in timed),
        speed_mps=tuple(p[7] for p in timed),
        cadence=tuple(p[6] for p in timed),
        power_w=tuple(p[8] for p in timed),
        altitude_m=tuple(p[3] for p in timed),
        distance_m=tuple(p[4] for p in timed),
        lat=tuple(p[1] for p in timed),
        lon=tuple(p[2] for p in timed),
    )
    sport = act.get("Sport")
    return CompletedActivity(
        sport=map_tcx_sport(sport),
        start=start,
        elapsed_s=elapsed,
        timer_s=timer,
        distance_m=distance,
        ascent_m=ascent if have_alt else None,
        avg_hr=avg_hr,
        max_hr=max_hr,
        laps=tuple(laps),
        streams=streams,
        device=_child_text(act, "Creator", "Name") or device,
        source_file=name,
        source_format="tcx",
        warnings=tuple(notes),
        source_sport=sport,
    )


def parse_tcx(raw: bytes, name: str) -> list[CompletedActivity]:
    """Read every activity of a TCX file (usually one)."""
    try:
        root = DET.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise ImportFailed(
            name, "declares XML entities, which are refused (entity expansion)"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise ImportFailed(name, f"contains refused XML constructs ({exc})") from exc
    except ET.ParseError as exc:
        raise ImportFailed(name, f"is not well-formed XML ({exc})") from exc
    if _local(root.tag) != "TrainingCenterDatabase":
        raise ImportFailed(name, f"is not a TCX file (its root element is <{_local(root.tag)}>)")
    activities = [
        el
        for section in _children(root, "Activities")
        for el in section.iter()
        if _local(el.tag) == "Activity"
    ]
    if not activities:
        if any(True for _ in _children(root, "Courses")):
            raise ImportFailed(name, "a TCX course, not an activity")
        if any(True for _ in _children(root, "Workouts")):
            raise ImportFailed(name, "a TCX workout, not an activity")
        raise ImportFailed(name, "has no activities")
    author = _child_text(root, "Author", "Name")
    return [_activity(act, name, author) for act in activities]
