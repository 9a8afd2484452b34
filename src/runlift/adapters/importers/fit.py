"""FIT activity files, decoded with ``fitdecode``.

fitdecode turns the byte stream into messages; this module does what the decoder leaves to its
caller:

* refuses FIT files that are not activities (workouts, courses, settings, ...) by name;
* splits multisport files (one ``session`` per leg) into one activity per leg;
* merges heart rate kept in separate ``hr`` messages (pool swims, HRM-Pro) into the records;
* treats timestamps below 0x10000000 (a watch whose clock was never set) as an unknown start;
* rebuilds the totals from records and laps when the ``session`` message is missing;
* keeps whatever was decoded before a break in a damaged or truncated file, with a warning;
* reports a CRC mismatch as a warning rather than refusing the file.

The CRCs are checked here, in one table-driven pass over the bytes, with fitdecode's own check
switched off: fitdecode updates the CRC chunk by chunk, nibble by nibble, which costs about a
quarter of its decoding time.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import fitdecode
from fitdecode.types import DevField

from runlift.adapters.importers.errors import ImportFailed
from runlift.domain.activities import ActivitySport, CompletedActivity, Lap, Streams, StrengthSet

__all__ = ["map_fit_sport", "parse_fit"]

_FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_DEVICE_RELATIVE_LIMIT = 0x10000000  # FIT date_time values below this count from power-on
_SEMICIRCLE_TO_DEG = 180.0 / 2**31
_SANE_WINDOW_S = 86_400  # a record more than a day outside the session is garbage
_HR_CARRY_S = 5.0  # an hr sample still stands for a record up to this long after it
_MAX_DECODER_NOTES = 3

_MESG_FILE_ID = 0
_MESG_SPORT = 12
_MESG_SESSION = 18
_MESG_LAP = 19
_MESG_RECORD = 20
_MESG_HR = 132
_MESG_SET = 225

# Row layout of one decoded record; enhanced_* fields win over their 16-bit originals.
_TS, _HR, _SPEED, _ESPEED, _CAD, _POWER, _ALT, _EALT, _DIST, _LAT, _LON = range(11)
_RECORD_SLOTS = {
    "timestamp": _TS,
    "heart_rate": _HR,
    "speed": _SPEED,
    "enhanced_speed": _ESPEED,
    "cadence": _CAD,
    "power": _POWER,
    "altitude": _ALT,
    "enhanced_altitude": _EALT,
    "distance": _DIST,
    "position_lat": _LAT,
    "position_long": _LON,
}

_RUN_SPORTS = frozenset({"running", "wheelchair_push_run"})
_WALK_SPORTS = frozenset({"walking", "hiking", "mountaineering", "wheelchair_push_walk"})
_CROSS_SPORTS = frozenset(
    {
        "cycling",
        "e_biking",
        "swimming",
        "rowing",
        "paddling",
        "kayaking",
        "stand_up_paddleboarding",
        "cross_country_skiing",
        "alpine_skiing",
        "snowboarding",
        "snowshoeing",
        "inline_skating",
        "ice_skating",
        "fitness_equipment",
        "hiit",
        "boxing",
        "jump_rope",
        "floor_climbing",
        "rock_climbing",
    }
)
_MOBILITY_NAMES = frozenset(
    {"yoga", "pilates", "flexibility_training", "breathing", "stretching", "mobility"}
)
_CARDIO_TRAINING = frozenset({"cardio_training", "hiit"})


def map_fit_sport(sport: object, sub_sport: object = None) -> str:
    """Map a FIT ``sport`` (and ``sub_sport``) onto a runlift :class:`ActivitySport` name."""
    s = sport if isinstance(sport, str) else ""
    sub = sub_sport if isinstance(sub_sport, str) else ""
    if s in _RUN_SPORTS:
        return ActivitySport.RUN
    if s in _MOBILITY_NAMES or sub in _MOBILITY_NAMES:
        return ActivitySport.MOBILITY
    if s == "training":
        return ActivitySport.CROSS if sub in _CARDIO_TRAINING else ActivitySport.STRENGTH
    if sub == "strength_training":
        return ActivitySport.STRENGTH
    if s in _WALK_SPORTS:
        return ActivitySport.WALK
    if s in _CROSS_SPORTS:
        return ActivitySport.CROSS
    return ActivitySport.OTHER


@dataclass(slots=True)
class _Decoded:
    """Everything this importer keeps from one pass over a FIT file."""

    file_type: object = None
    device: str | None = None
    time_created: int | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)
    records: list[list[Any]] = field(default_factory=list)
    hr_samples: list[tuple[float, int]] = field(default_factory=list)
    hr_unanchored: int = 0
    sport: object = None
    sub_sport: object = None
    warnings: list[str] = field(default_factory=list)
    frames: int = 0


class _HrAnchor:
    """Turns ``hr`` messages into (FIT seconds, bpm) samples.

    An ``hr`` message carrying a ``timestamp`` anchors the device's 1/1024 s event clock to real
    time; the following messages pack their event times as 12-bit deltas
    (``event_timestamp_12``), which are unrolled here from the anchor's full value.
    """

    __slots__ = ("acc", "event", "time")

    def __init__(self) -> None:
        self.time: float | None = None
        self.event = 0
        self.acc = 0

    def reset(self) -> None:
        self.time = None

    def samples(self, fields: Sequence[Any]) -> list[tuple[float, int]] | None:
        ts = frac = bpm = full = packed = None
        for f in fields:
            fld = f.field
            if fld is None:
                continue
            name = fld.name
            if name == "timestamp":
                ts = f.value
            elif name in ("fractional_timestamp", "time256"):
                frac = f.value
            elif name == "filtered_bpm":
                bpm = f.value
            elif name == "event_timestamp":
                if f.field_def is not None:  # the stored value, not one expanded from _12
                    full = f.raw_value
            elif name == "event_timestamp_12":
                packed = f.raw_value
        bpms = bpm if isinstance(bpm, tuple) else (bpm,)
        events: list[int]
        if isinstance(ts, int) and isinstance(full, int):
            self.time = ts + (frac if isinstance(frac, float | int) else 0.0)
            self.event = self.acc = full
            events = [full]
        elif self.time is None:
            return None
        elif packed is not None:
            bits = int.from_bytes(bytes(b or 0 for b in packed), "little")
            events = []
            acc = self.acc
            for k in range(len(bpms)):
                acc += (((bits >> (12 * k)) & 0xFFF) - acc) & 0xFFF
                events.append(acc)
            self.acc = acc
        elif full is not None:
            raw = full if isinstance(full, tuple) else (full,)
            events = [e + 2**32 if e < self.event - 2**31 else e for e in raw if e is not None]
        else:
            return None
        base = self.time
        return [
            (base + (e - self.event) / 1024.0, b)
            for e, b in zip(events, bpms, strict=False)
            if isinstance(b, int) and 0 < b < 255
        ]


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()  # CRC-16/ARC, the FIT checksum


def _crc16(data: bytes | memoryview) -> int:
    crc = 0
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _check_crcs(raw: bytes) -> list[str]:
    """Warnings for every header or file CRC that does not match, part by part.

    A chained file holds several FIT files back to back; a part cut short has no CRC to
    check (the decoder reports the break).
    """
    notes: list[str] = []
    view = memoryview(raw)
    offset = part = 0
    while offset + 12 <= len(raw):
        size = raw[offset]
        if size < 12 or raw[offset + 8 : offset + 12] != b".FIT":
            break
        part += 1
        if size >= 14:
            stored = int.from_bytes(raw[offset + 12 : offset + 14], "little")
            if stored and _crc16(view[offset : offset + 12]) != stored:  # 0: "not computed"
                notes.append(f"FIT header CRC mismatch (part {part})")
        end = offset + size + int.from_bytes(raw[offset + 4 : offset + 8], "little")
        if end + 2 > len(raw):
            break
        if _crc16(view[offset:end]) != int.from_bytes(raw[end : end + 2], "little"):
            notes.append(f"FIT file CRC mismatch (part {part}): the data may be corrupt")
        offset = end + 2
    return notes


def _fields_dict(frame: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in frame.fields:
        fld = f.field
        if fld is None or isinstance(fld, DevField):
            continue
        if f.value is not None and fld.name not in out:
            out[fld.name] = f.value
    return out


def _device_name(file_id: dict[str, Any]) -> str | None:
    maker = file_id.get("manufacturer")
    product: object = None
    for key, value in file_id.items():
        if key.endswith("_product") and value is not None:
            product = value
            break
    if product is None:
        product = file_id.get("product_name") or file_id.get("product")
    parts = [str(p).strip() for p in (maker, product) if p is not None and str(p).strip()]
    return " ".join(parts) or None


def _kind(file_type: object) -> str:
    if isinstance(file_type, str):
        return f"a FIT {file_type.replace('_', ' ')} file"
    return f"a FIT file of type {file_type}"


def _decode(raw: bytes, name: str) -> _Decoded:
    d = _Decoded()
    anchor = _HrAnchor()
    slots = _RECORD_SLOTS
    records = d.records
    reader = fitdecode.FitReader(
        raw,
        processor=None,  # values stay in FIT units; dates are converted here
        check_crc=fitdecode.CrcCheck.DISABLED,  # checked by _check_crcs, faster
        error_handling=fitdecode.ErrorHandling.WARN,
    )
    chained = 0
    break_note: str | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for frame in reader:
                d.frames += 1
                kind = frame.frame_type
                if kind != fitdecode.FIT_FRAME_DATA:
                    if kind == fitdecode.FIT_FRAME_HEADER:
                        chained += 1
                        anchor.reset()
                    continue
                num = frame.def_mesg.global_mesg_num
                if num == _MESG_RECORD:
                    row: list[Any] = [None] * 11
                    for f in frame.fields:
                        v = f.value
                        if v is not None:
                            fld = f.field
                            if fld is not None:
                                i = slots.get(fld.name)
                                if i is not None and not isinstance(fld, DevField):
                                    row[i] = v if v.__class__ is not tuple else _first(v)
                    records.append(row)
                elif num == _MESG_HR:
                    got = anchor.samples(frame.fields)
                    if got is None:
                        d.hr_unanchored += 1
                    else:
                        d.hr_samples.extend(got)
                elif num == _MESG_LAP:
                    d.laps.append(_fields_dict(frame))
                elif num == _MESG_SESSION:
                    d.sessions.append(_fields_dict(frame))
                elif num == _MESG_SET:
                    d.sets.append(_fields_dict(frame))
                elif num == _MESG_FILE_ID:
                    if chained <= 1 and d.file_type is None:
                        ids = _fields_dict(frame)
                        d.file_type = ids.get("type")
                        if d.file_type is not None and d.file_type != "activity":
                            raise ImportFailed(name, f"{_kind(d.file_type)}, not an activity")
                        d.device = _device_name(ids)
                        created = ids.get("time_created")
                        d.time_created = created if isinstance(created, int) else None
                elif num == _MESG_SPORT and d.sport is None:
                    sport = _fields_dict(frame)
                    d.sport, d.sub_sport = sport.get("sport"), sport.get("sub_sport")
        except ImportFailed:
            raise
        except fitdecode.FitHeaderError as exc:
            if d.frames == 0:
                raise ImportFailed(name, "is not a FIT file (no FIT header)") from exc
            break_note = f"damaged FIT header: {exc}"
        except Exception as exc:  # a break in the data: keep what came before it
            if d.frames <= 1:
                if isinstance(exc, fitdecode.FitEOFError):
                    raise ImportFailed(
                        name, "is a truncated FIT file with no readable data"
                    ) from exc
                raise ImportFailed(name, f"FIT data is unreadable ({_describe(exc)})") from exc
            break_note = _describe(exc)
        finally:
            reader.close()
    if break_note is not None:
        d.warnings.append(
            f"the file is truncated or damaged ({break_note}); "
            f"the {len(records)} records before the break were kept"
        )
    notes = list(dict.fromkeys(str(w.message) for w in caught))
    if notes:
        shown = "; ".join(notes[:_MAX_DECODER_NOTES])
        more = (
            f" (+{len(notes) - _MAX_DECODER_NOTES} more)" if len(notes) > _MAX_DECODER_NOTES else ""
        )
        d.warnings.append(f"decoder: {shown}{more}")
    if d.hr_unanchored:
        d.warnings.append(f"{d.hr_unanchored} hr messages had no time anchor and were ignored")
    return d


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _first(values: tuple[Any, ...]) -> Any:
    for v in values:
        if v is not None:
            return v
    return None


def _num(value: object) -> float | None:
    if isinstance(value, tuple):
        value = _first(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _positive(value: object) -> float | None:
    v = _num(value)
    return v if v is not None and v > 0 else None


def _instant(raw: object) -> datetime | None:
    """An aware UTC datetime for a FIT ``date_time``; None when the clock was never set."""
    if not isinstance(raw, int) or raw < _DEVICE_RELATIVE_LIMIT:
        return None
    return _FIT_EPOCH + timedelta(seconds=raw)


def _merge_hr(records: list[list[Any]], samples: list[tuple[float, int]]) -> int:
    """Give each record without a heart rate the mean of the hr samples since the previous one.

    A record with no sample in its interval takes the latest earlier sample, if that is at most
    a few seconds old (the sensor sends on change, not on a clock). Returns the records filled.
    """
    samples.sort()
    times = [t for t, _ in samples]
    bpms = [b for _, b in samples]
    filled = 0
    prev: int | None = None
    for row in records:
        ts = row[_TS]
        if ts is None:
            continue
        lo = prev if prev is not None and prev < ts else ts - 1
        prev = ts
        if row[_HR] is not None:
            continue
        i = bisect_right(times, lo)
        j = bisect_right(times, ts)
        if j > i:
            row[_HR] = int(sum(bpms[i:j]) / (j - i) + 0.5)
            filled += 1
        elif j > 0 and ts - times[j - 1] <= _HR_CARRY_S:
            row[_HR] = bpms[j - 1]
            filled += 1
    return filled


def _session_bounds(session: dict[str, Any]) -> tuple[int | None, float | None]:
    start = session.get("start_time")
    elapsed = _num(session.get("total_elapsed_time"))
    if not isinstance(start, int):
        end = session.get("timestamp")
        start = int(end - elapsed) if isinstance(end, int) and elapsed is not None else None
    return start, elapsed


def _sane_records(d: _Decoded, warnings_out: list[str]) -> list[list[Any]]:
    """Drop records without a timestamp and records whose clock is wildly off (garbage)."""
    timed = [r for r in d.records if isinstance(r[_TS], int)]
    if not timed:
        return timed
    bounds = [_session_bounds(s) for s in d.sessions]
    starts = [s for s, _ in bounds if s is not None]
    if starts:
        lo = min(starts) - _SANE_WINDOW_S
        hi = max(s + (e or 0.0) for s, e in bounds if s is not None) + _SANE_WINDOW_S
    else:
        ordered = sorted(r[_TS] for r in timed)
        mid = ordered[len(ordered) // 2]
        lo, hi = mid - 2 * _SANE_WINDOW_S, mid + 2 * _SANE_WINDOW_S
    kept = [r for r in timed if lo <= r[_TS] <= hi]
    dropped = len(d.records) - len(kept)
    if dropped:
        warnings_out.append(
            f"{dropped} records without a usable timestamp were dropped "
            "(missing, or more than a day away from the activity)"
        )
    return kept


def _streams(records: Sequence[list[Any]], origin: int) -> Streams:
    if not records:
        return Streams()
    k = _SEMICIRCLE_TO_DEG
    return Streams(
        t_s=tuple(float(r[_TS] - origin) for r in records),
        hr=tuple(r[_HR] or None for r in records),  # 0 bpm means "no sensor"
        speed_mps=tuple(r[_ESPEED] if r[_ESPEED] is not None else r[_SPEED] for r in records),
        cadence=tuple(r[_CAD] for r in records),
        power_w=tuple(r[_POWER] for r in records),
        altitude_m=tuple(r[_EALT] if r[_EALT] is not None else r[_ALT] for r in records),
        distance_m=tuple(r[_DIST] for r in records),
        lat=tuple(r[_LAT] * k if r[_LAT] is not None else None for r in records),
        lon=tuple(r[_LON] * k if r[_LON] is not None else None for r in records),
    )


def _record_hr(records: Sequence[list[Any]]) -> tuple[float | None, float | None]:
    values = [r[_HR] for r in records if isinstance(r[_HR], int) and r[_HR] > 0]
    if not values:
        return None, None
    return sum(values) / len(values), float(max(values))


def _record_distance(records: Sequence[list[Any]]) -> float | None:
    values = [r[_DIST] for r in records if isinstance(r[_DIST], int | float)]
    return float(max(values)) if values else None


def _lap(lap: dict[str, Any]) -> Lap:
    return Lap(
        start=_instant(lap.get("start_time")),
        elapsed_s=_num(lap.get("total_elapsed_time")),
        timer_s=_num(lap.get("total_timer_time")),
        distance_m=_num(lap.get("total_distance")),
        avg_hr=_positive(lap.get("avg_heart_rate")),
        max_hr=_positive(lap.get("max_heart_rate")),
    )


_EXERCISE_CATEGORIES: dict[int, str] = dict(
    fitdecode.profile.FIELD_TYPES["exercise_category"].enum or {}
)


def _exercise(category: object) -> str:
    values = category if isinstance(category, tuple) else (category,)
    names = []
    for v in values:
        if isinstance(v, str):
            names.append(v)
        elif isinstance(v, int):
            names.append(_EXERCISE_CATEGORIES.get(v, "unknown" if v >= 0xFFFE else str(v)))
    known = [n for n in names if n != "unknown"]
    return known[0] if known else "unknown"


def _strength_set(s: dict[str, Any]) -> StrengthSet:
    reps = _num(s.get("repetitions"))
    return StrengthSet(
        exercise=_exercise(s.get("category")),
        reps=int(reps) if reps is not None else None,
        weight_kg=_num(s.get("weight")),
        duration_s=_num(s.get("duration")),
    )


def _sum(values: Iterator[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) if got else None


@dataclass(slots=True)
class _Leg:
    """The inputs to one activity: a session (or none) and what belongs to it."""

    session: dict[str, Any] | None
    records: list[list[Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)


def _split_legs(d: _Decoded, records: list[list[Any]]) -> list[_Leg]:
    if len(d.sessions) <= 1:
        return [_Leg(d.sessions[0] if d.sessions else None, records, d.laps, d.sets)]
    ordered = sorted(
        d.sessions, key=lambda s: (_session_bounds(s)[0] is None, _session_bounds(s)[0] or 0)
    )
    legs = [_Leg(s) for s in ordered]
    starts = [b if b is not None else 0 for b in (_session_bounds(s)[0] for s in ordered)]

    def leg_of(t: object) -> _Leg:
        return legs[max(bisect_right(starts, t) - 1, 0)] if isinstance(t, int) else legs[0]

    for r in records:
        leg_of(r[_TS]).records.append(r)
    for lap in d.laps:
        leg_of(lap.get("start_time", lap.get("timestamp"))).laps.append(lap)
    for s in d.sets:
        leg_of(s.get("start_time", s.get("timestamp"))).sets.append(s)
    return legs


def _build(
    leg: _Leg, d: _Decoded, name: str, index: int | None, shared: list[str]
) -> CompletedActivity:
    notes = list(shared)
    records = leg.records
    session = leg.session or {}
    laps = [_lap(lap) for lap in leg.laps]
    first_ts = records[0][_TS] if records else None
    if leg.session is not None:
        origin, elapsed = _session_bounds(session)
        sport, sub_sport = session.get("sport"), session.get("sub_sport")
    else:
        lap_starts = [lap.get("start_time") for lap in leg.laps]
        origin = first_ts if first_ts is not None else _first(tuple(lap_starts))
        if not isinstance(origin, int):
            origin = d.time_created
        elapsed = None
        sport, sub_sport = d.sport, d.sub_sport
        if sport is None and leg.laps:
            sport, sub_sport = leg.laps[0].get("sport"), leg.laps[0].get("sub_sport")
        notes.append(
            f"no session summary in the file: totals rebuilt from {len(records)} records"
            + (f" and {len(laps)} laps" if laps else "")
        )
    if elapsed is None:
        span = records[-1][_TS] - records[0][_TS] if len(records) >= 2 else None
        elapsed = float(span) if span else _sum(lap.elapsed_s for lap in laps)
    if elapsed is None:
        raise ImportFailed(
            name, f"holds no activity data (no session summary and {len(records)} record(s))"
        )
    if origin is None:
        origin = first_ts if first_ts is not None else 0
    start = _instant(origin)
    if start is None:
        notes.append(
            "the device clock was never set (timestamps count from power-on): start time unknown"
        )
    timer = _num(session.get("total_timer_time"))
    if timer is None:
        timer = _sum(lap.timer_s for lap in laps)
    distance = _num(session.get("total_distance"))
    if distance is None:
        distance = _record_distance(records)
    if distance is None:
        distance = _sum(lap.distance_m for lap in laps)
    avg_hr = _positive(session.get("avg_heart_rate"))
    max_hr = _positive(session.get("max_heart_rate"))
    if avg_hr is None or max_hr is None:
        rec_avg, rec_max = _record_hr(records)
        avg_hr = avg_hr if avg_hr is not None else rec_avg
        max_hr = max_hr if max_hr is not None else rec_max
    sets = tuple(_strength_set(s) for s in leg.sets if s.get("set_type") == "active")
    raw_sport = None if sport is None else str(sport)
    return CompletedActivity(
        sport=map_fit_sport(sport, sub_sport),
        start=start,
        elapsed_s=elapsed,
        timer_s=timer,
        distance_m=distance,
        sub_sport=None if sub_sport is None else str(sub_sport),
        ascent_m=_num(session.get("total_ascent")),
        avg_hr=avg_hr,
        max_hr=max_hr,
        laps=tuple(laps),
        streams=_streams(records, origin),
        strength_sets=sets,
        device=d.device,
        source_file=name,
        source_format="fit",
        warnings=tuple(dict.fromkeys(notes)),
        source_sport=raw_sport,
        leg_index=index,
    )


def parse_fit(raw: bytes, name: str) -> list[CompletedActivity]:
    """Decode a FIT activity file: one activity, or one per leg of a multisport file."""
    d = _decode(raw, name)
    shared = _check_crcs(raw) + d.warnings
    if d.hr_samples:
        _merge_hr(d.records, d.hr_samples)
        d.hr_samples = []
    records = _sane_records(d, shared)
    if not d.sessions and not records and not d.laps:
        raise ImportFailed(name, "holds no activity data (no session, laps or records)")
    legs = _split_legs(d, records)
    multi = len(legs) > 1
    return [_build(leg, d, name, i if multi else None, shared) for i, leg in enumerate(legs)]
