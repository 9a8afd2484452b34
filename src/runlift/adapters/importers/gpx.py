"""GPX tracks, read with ``gpxpy``.

Only tracks (``<trk>``) are activities; routes and waypoints are plans and are ignored. The whole
file is one activity: elapsed time runs from the first to the last timed point, the distance is
gpxpy's 2-D length, and heart rate, cadence and power come from the track point extensions
(Garmin ``TrackPointExtension`` in any namespace, Strava's bare ``<power>``, plain ``<hr>``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import gpxpy
import gpxpy.gpx

from runlift.adapters.importers.errors import ImportFailed
from runlift.domain.activities import ActivitySport, CompletedActivity, Streams

__all__ = ["map_gpx_type", "parse_gpx"]

_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

_GPX_ROOT = re.compile(r"<(?:[\w.-]+:)?gpx[\s>/]")

_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})
_POWER_TAGS = frozenset({"power", "powerinwatts", "watts"})

_TYPES: dict[str, str] = {
    # Strava writes numeric codes: 1 is a ride, 9 a run.
    "1": ActivitySport.CROSS,
    "9": ActivitySport.RUN,
}
for _sport, _names in {
    ActivitySport.RUN: "run running trail_running trail_run treadmill treadmill_running "
    "track_running virtual_run virtualrun street_running",
    ActivitySport.WALK: "walk walking hike hiking speed_walking mountaineering",
    ActivitySport.CROSS: "ride cycling biking bike road_biking road_cycling mountain_biking "
    "gravel_cycling e_biking ebikeride virtual_ride virtualride indoor_cycling swim swimming "
    "open_water_swimming lap_swimming rowing row kayaking canoeing paddling "
    "stand_up_paddling skiing cross_country_skiing nordic_ski nordicski backcountry_ski "
    "alpine_skiing alpineski snowshoe snowshoeing inline_skating ice_skating elliptical "
    "stair_stepper stairstepper",
    ActivitySport.STRENGTH: "strength strength_training weight_training weighttraining "
    "training crossfit",
    ActivitySport.MOBILITY: "yoga pilates stretching mobility flexibility",
}.items():
    _TYPES.update(dict.fromkeys(_names.split(), _sport))


def map_gpx_type(text: str | None) -> str:
    """Map a GPX ``<type>`` onto a runlift sport; a missing type means a run."""
    if text is None or not text.strip():
        return ActivitySport.RUN
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    return _TYPES.get(key, ActivitySport.OTHER)


def _decode_text(raw: bytes, name: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        encoding, raw = "utf-8", raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        declared = _DECLARED_ENCODING.match(raw[:256].lstrip())
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return raw.decode(encoding)
    except LookupError as exc:
        raise ImportFailed(name, f"declares an unknown text encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed(name, f"is not valid {encoding} text (byte {exc.start})") from exc


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is no reading


def _extension_values(point: Any) -> tuple[float | None, float | None, float | None]:
    hr = cad = power = None
    for ext in point.extensions:
        for el in ext.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            local = tag[tag.rfind("}") + 1 :].lower()
            if local in _HR_TAGS:
                hr = _number(el.text)
            elif local in _CAD_TAGS:
                cad = _number(el.text)
            elif local in _POWER_TAGS:
                power = _number(el.text)
    return hr, cad, power


def _utc(t: datetime, naive: list[bool]) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        naive[0] = True
        return t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def _first_type(tracks: Iterable[gpxpy.gpx.GPXTrack]) -> str | None:
    for track in tracks:
        value: object = getattr(track, "type", None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def parse_gpx(raw: bytes, name: str) -> list[CompletedActivity]:
    """Read the tracks of a GPX file as one activity."""
    text = _decode_text(raw, name)
    if not _GPX_ROOT.search(text, 0, 65536):
        raise ImportFailed(name, "is not a GPX file (no <gpx> element)")
    if "<!ENTITY" in text:
        raise ImportFailed(name, "declares XML entities, which are refused (entity expansion)")
    try:
        doc = gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises GPXException, but also bare parser errors
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise ImportFailed(name, f"is not valid GPX ({reason})") from exc

    naive = [False]
    times: list[datetime] = []
    rows: list[tuple[Any, float, float | None, float | None, float | None]] = []
    hr_values: list[float] = []
    n_points = 0
    cum = 0.0
    for track in doc.tracks:
        for segment in track.segments:
            prev = None
            for p in segment.points:
                n_points += 1
                if prev is not None:
                    step = p.distance_2d(prev)
                    if step:
                        cum += step
                prev = p
                hr, cad, power = _extension_values(p) if p.extensions else (None, None, None)
                if hr is not None and hr > 0:
                    hr_values.append(hr)
                else:
                    hr = None
                if p.time is not None:
                    times.append(_utc(p.time, naive))
                    rows.append((p, cum, hr, cad, power))

    if n_points == 0:
        what = "a route" if doc.routes else "waypoints" if doc.waypoints else "nothing"
        raise ImportFailed(name, f"has no track points (it holds {what}, not a recorded activity)")
    if not times:
        raise ImportFailed(name, f"has no timestamps on any of its {n_points} track points")

    notes: list[str] = []
    first, last = times[0], times[-1]
    if last < first:
        first, last = min(times), max(times)
        notes.append("track point times run backwards in places")
    if len(times) < n_points:
        notes.append(f"{n_points - len(times)} of {n_points} track points have no time")
    if naive[0]:
        notes.append("times carry no time zone and were read as UTC")

    uphill = None
    try:
        uphill = doc.get_uphill_downhill().uphill
    except Exception:  # elevation is optional; a failure here must not lose the activity
        uphill = None

    streams = Streams(
        t_s=tuple((t - first).total_seconds() for t in times),
        hr=tuple(r[2] for r in rows),
        speed_mps=(None,) * len(rows),
        cadence=tuple(r[3] for r in rows),
        power_w=tuple(r[4] for r in rows),
        altitude_m=tuple(r[0].elevation for r in rows),
        distance_m=tuple(r[1] for r in rows),
        lat=tuple(r[0].latitude for r in rows),
        lon=tuple(r[0].longitude for r in rows),
    )
    raw_type = _first_type(doc.tracks)
    return [
        CompletedActivity(
            sport=map_gpx_type(raw_type),
            start=first,
            elapsed_s=(last - first).total_seconds(),
            distance_m=cum,
            ascent_m=float(uphill) if uphill else None,
            avg_hr=sum(hr_values) / len(hr_values) if hr_values else None,
            max_hr=max(hr_values) if hr_values else None,
            streams=streams,
            device=(doc.creator or "").strip() or None,
            source_file=name,
            source_format="gpx",
            warnings=tuple(notes),
            source_sport=raw_type,
        )
    ]
