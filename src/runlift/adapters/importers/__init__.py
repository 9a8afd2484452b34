"""Activity file importers: FIT, GPX and TCX bytes in, :class:`CompletedActivity` out.

* :func:`parse_activity` reads one file (optionally gzip-compressed) and returns its activities;
  anything unreadable raises :class:`ImportFailed` naming the file.
* :func:`iter_activity_sources` finds activity files in files, folders and bulk-export zip
  archives (Garmin Connect, Strava) without reading them.
* :func:`parse_many` parses sources in parallel worker processes, yielding one
  :class:`ParseOutcome` per source in input order while holding only a bounded window of results.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import os
import threading
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from runlift.adapters.importers.errors import ImportFailed
from runlift.adapters.importers.fit import parse_fit
from runlift.adapters.importers.gpx import parse_gpx
from runlift.adapters.importers.tcx import parse_tcx
from runlift.domain.activities import (
    CompletedActivity,
    activity_problem,
    without_non_finite_readings,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "SUPPORTED_SUFFIXES",
    "ActivitySource",
    "ImportFailed",
    "ParseOutcome",
    "iter_activity_sources",
    "parse_activity",
    "parse_many",
]

SUPPORTED_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
#: The largest activity file read, after decompression: parsing a 16 MB GPX already
#: takes about 290 MB of memory (``benchmarks/bench_decompression.py``); a day-long run
#: recorded every second is smaller.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: A compressed file (``.gz``, or a zip member) may inflate at most this many times its
#: compressed size: activity files shrink 3-20 times, a decompression bomb thousands of times.
MAX_RATIO = 100
#: ... but below this size the ratio is not checked (tiny files compress oddly well).
RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK_BYTES = 1024 * 1024  # a chunk closes early at this many bytes, so big files travel alone
_GZIP_MAGIC = b"\x1f\x8b"
_PARSERS: dict[str, Callable[[bytes, str], list[CompletedActivity]]] = {
    "fit": parse_fit,
    "gpx": parse_gpx,
    "tcx": parse_tcx,
}


# --- one file -----------------------------------------------------------------------------


def _declared_format(filename: str) -> tuple[str | None, bool]:
    """The format the file name claims, and whether it claims gzip."""
    lower = filename.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for fmt in _PARSERS:
        if lower.endswith("." + fmt):
            return fmt, gz
    return None, gz


def _sniff(data: bytes) -> str | None:
    """The format the content shows, if it shows one plainly."""
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.lower()
    if b"<gpx" in head:
        return "gpx"
    if b"<trainingcenterdatabase" in head:
        return "tcx"
    return None


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512]
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return True
    return head.lstrip()[:1] == b"<"


def inflate_limit(compressed: int) -> int:
    """The most bytes ``compressed`` bytes of gzip or zip data may inflate to."""
    return min(MAX_FILE_BYTES, max(RATIO_FLOOR_BYTES, MAX_RATIO * compressed))


def _too_big(name: str, limit: int) -> ImportFailed:
    if limit >= MAX_FILE_BYTES:
        return ImportFailed(name, f"inflates to more than {MAX_FILE_BYTES // 2**20} MB; refused")
    return ImportFailed(
        name,
        f"inflates more than {MAX_RATIO} times its compressed size, like a decompression "
        "bomb; refused",
    )


def _gunzip(raw: bytes, name: str) -> bytes:
    parts: list[bytes] = []
    size = 0
    data = raw
    limit = inflate_limit(len(raw))
    while data[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(wbits=31)
        try:
            # At most one byte past the limit is ever inflated: memory stays bounded.
            chunk = inflater.decompress(data, limit - size + 1)
        except zlib.error as exc:
            raise ImportFailed(name, f"is not valid gzip data ({exc})") from exc
        size += len(chunk)
        if size > limit or inflater.unconsumed_tail:
            raise _too_big(name, limit)
        if not inflater.eof:
            raise ImportFailed(name, "is a truncated gzip file")
        parts.append(chunk)
        data = inflater.unused_data
    if not parts:
        raise ImportFailed(name, "is not gzip data although its name ends in .gz")
    return b"".join(parts)


def parse_activity(raw: bytes, filename: str) -> list[CompletedActivity]:
    """Parse one activity file; ``filename`` picks the format and names the file in errors.

    The format comes from the suffix (``.fit``, ``.gpx``, ``.tcx``, each optionally ``.gz``);
    when the content plainly shows another format (or gzip), the content wins and the
    activities carry a warning. A multisport FIT file gives one activity per leg.
    """
    if not raw:
        raise ImportFailed(filename, "is empty")
    fmt, gz = _declared_format(filename)
    data = raw
    notes: list[str] = []
    if raw[:2] == _GZIP_MAGIC:
        data = _gunzip(raw, filename)
        if not gz:
            notes.append("the content is gzip-compressed although the name does not say so")
        if not data:
            raise ImportFailed(filename, "is empty once decompressed")
    elif gz:
        if _sniff(raw) is None:
            raise ImportFailed(filename, "is not gzip data although its name ends in .gz")
        notes.append("the name ends in .gz but the content is not compressed")
    sniffed = _sniff(data)
    if sniffed is not None and sniffed != fmt:
        if fmt is not None:
            notes.append(f"the name says .{fmt} but the content is {sniffed.upper()}")
        fmt = sniffed
    if fmt is None:
        raise ImportFailed(
            filename,
            "is not a supported activity file (expected .fit, .gpx or .tcx, optionally .gz)",
        )
    if fmt in ("gpx", "tcx") and not _looks_like_xml(data):
        raise ImportFailed(filename, f"is not XML, so it cannot be a {fmt.upper()} file")
    try:
        activities = _PARSERS[fmt](data, filename)
    except ImportFailed:
        raise
    except Exception as exc:  # a library tripping over odd input must not escape unnamed
        raise ImportFailed(
            filename, f"could not be read as {fmt.upper()} ({type(exc).__name__}: {exc})"
        ) from exc
    checked = []
    for activity in activities:
        # An infinite reading becomes a missing one; an impossible summary fails the file.
        activity = without_non_finite_readings(activity)
        problem = activity_problem(activity)
        if problem is not None:
            raise ImportFailed(filename, f"holds impossible values: {problem}")
        if notes:
            activity = dataclasses.replace(activity, warnings=(*notes, *activity.warnings))
        checked.append(activity)
    return checked


# --- finding sources ----------------------------------------------------------------------


class _ZipCache:
    """A few open archives per process, so reading members does not re-read the directory."""

    def __init__(self, size: int = 2) -> None:
        self._size = size
        self._open: dict[Path, zipfile.ZipFile] = {}
        self._lock = threading.Lock()

    def read(self, path: Path, member: str) -> bytes:
        with self._lock:
            archive = self._open.pop(path, None)
            if archive is None:
                archive = zipfile.ZipFile(path)
            self._open[path] = archive  # most recently used last
            while len(self._open) > self._size:
                self._open.pop(next(iter(self._open))).close()
            info = archive.getinfo(member)
            limit = inflate_limit(info.compress_size)
            with archive.open(info) as fh:
                data = fh.read(limit + 1)  # never more than one byte past the limit
            if len(data) > limit:
                raise _too_big(f"{path}:{member}", limit)
            return data

    def close(self) -> None:
        with self._lock:
            for archive in self._open.values():
                archive.close()
            self._open.clear()


_ZIPS = _ZipCache()


@dataclass(frozen=True, slots=True)
class ActivitySource:
    """One activity file to import: a file on disk, or a member of a zip archive.

    ``name`` is for people ("export.zip:activities/123.fit.gz"); :meth:`read_bytes` fetches the
    content (lazily, so sources are cheap to list and to send to worker processes).
    """

    name: str
    path: Path
    member: str | None = None
    problem: str | None = None  # set when the source is known to be unreadable
    size: int | None = None  # bytes, when known: helps share the work out evenly

    def read_bytes(self) -> bytes:
        if self.problem is not None:
            raise ImportFailed(self.name, self.problem)
        try:
            if self.member is None:
                with self.path.open("rb") as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
            else:
                data = _ZIPS.read(self.path, self.member)
        except ImportFailed as exc:  # a zip member over the size or ratio limit
            raise ImportFailed(self.name, exc.reason) from None
        except FileNotFoundError as exc:
            raise ImportFailed(self.name, "does not exist") from exc
        except IsADirectoryError as exc:
            raise ImportFailed(self.name, "is a folder, not a file") from exc
        except (OSError, zipfile.BadZipFile, RuntimeError, KeyError) as exc:
            # RuntimeError: an encrypted member; KeyError: a member that vanished
            raise ImportFailed(self.name, f"cannot be read ({exc})") from exc
        if len(data) > MAX_FILE_BYTES:
            raise ImportFailed(self.name, f"is larger than {MAX_FILE_BYTES // 2**20} MB; refused")
        return data


def _supported(name: str) -> bool:
    return name.lower().endswith(SUPPORTED_SUFFIXES)


def _hidden(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in parts if p)


def _zip_sources(path: Path, display: str, skipped: list[str] | None) -> Iterator[ActivitySource]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile) as exc:
        yield ActivitySource(display, path, problem=f"is not a readable zip archive ({exc})")
        return
    for info in infos:
        if info.is_dir():
            continue
        label = f"{display}:{info.filename}"
        if _hidden(info.filename) or not _supported(info.filename):
            if skipped is not None:
                skipped.append(label)
            continue
        yield ActivitySource(label, path, member=info.filename, size=info.file_size)


def _walk(folder: Path, skipped: list[str] | None) -> Iterator[ActivitySource]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath)
        for fname in sorted(filenames):
            path = base / fname
            if _hidden(fname):
                if skipped is not None:
                    skipped.append(str(path))
            elif fname.lower().endswith(".zip"):
                yield from _zip_sources(path, str(path), skipped)
            elif _supported(fname):
                yield ActivitySource(str(path), path, size=_size(path))
            elif skipped is not None:
                skipped.append(str(path))


def iter_activity_sources(
    paths: Iterable[Path], *, skipped: list[str] | None = None
) -> Iterator[ActivitySource]:
    """Activity files under ``paths``: files, folders (recursively) and bulk-export zips.

    Inside folders and archives only ``.fit``/``.gpx``/``.tcx`` (optionally ``.gz``) files are
    taken; everything else is passed over and, when ``skipped`` is given, its name appended to
    it (so ``len(skipped)`` counts them). A file named explicitly is always taken: parsing it
    says clearly what is wrong with it.
    """
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            yield from _walk(path, skipped)
        elif path.suffix.lower() == ".zip" and path.is_file():
            yield from _zip_sources(path, str(path), skipped)
        else:
            yield ActivitySource(str(path), path, size=_size(path))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


# --- many files, in parallel --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """What became of one source: its activities, or the reason it failed."""

    source: str
    activities: tuple[CompletedActivity, ...] = ()
    error: ImportFailed | None = None
    content_hash: str | None = None  # SHA-256 of the raw bytes, when they could be read

    @property
    def ok(self) -> bool:
        return self.error is None


def _parse_source(source: ActivitySource) -> ParseOutcome:
    try:
        raw = source.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()  # hashed where the bytes already are
        return ParseOutcome(source.name, tuple(parse_activity(raw, source.name)), None, digest)
    except ImportFailed as exc:
        return ParseOutcome(source.name, error=exc)
    except Exception as exc:  # keep a bulk import going past one surprising file
        reason = f"failed unexpectedly ({type(exc).__name__}: {exc})"
        return ParseOutcome(source.name, error=ImportFailed(source.name, reason))


def _parse_chunk(chunk: list[ActivitySource]) -> list[ParseOutcome]:
    return [_parse_source(source) for source in chunk]


def _chunks(sources: Iterable[ActivitySource], size: int) -> Iterator[list[ActivitySource]]:
    """Groups of at most ``size`` sources, closed early once they hold about a megabyte."""
    chunk: list[ActivitySource] = []
    held = 0
    for source in sources:
        chunk.append(source)
        held += source.size or 0
        if len(chunk) >= size or held >= _CHUNK_BYTES:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _died(chunk: list[ActivitySource]) -> list[ParseOutcome]:
    reason = "the worker process reading it died (out of memory?)"
    return [ParseOutcome(s.name, error=ImportFailed(s.name, reason)) for s in chunk]


class _Pool:
    """A process pool that survives a worker dying: the culprit source is isolated and failed."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._executor = ProcessPoolExecutor(max_workers=workers)

    def submit(self, chunk: list[ActivitySource]) -> Future[list[ParseOutcome]]:
        try:
            return self._executor.submit(_parse_chunk, chunk)
        except BrokenProcessPool:
            self._restart()
            return self._executor.submit(_parse_chunk, chunk)

    def _restart(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = ProcessPoolExecutor(max_workers=self._workers)

    def result(
        self, future: Future[list[ParseOutcome]], chunk: list[ActivitySource]
    ) -> list[ParseOutcome]:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
        # Retry the sources one at a time in a fresh pool; one that breaks it again is the cause.
        outcomes: list[ParseOutcome] = []
        for source in chunk:
            self._restart()
            try:
                outcomes.extend(self._executor.submit(_parse_chunk, [source]).result())
            except BrokenProcessPool:
                outcomes.extend(_died([source]))
        self._restart()
        return outcomes

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def parse_many(
    sources: Iterable[ActivitySource], workers: int | None = None, *, chunk_size: int = 8
) -> Iterator[ParseOutcome]:
    """Parse ``sources`` across ``workers`` processes (default: one per CPU), in input order.

    ``workers=1`` parses in this process. Sources travel to the workers in chunks of
    ``chunk_size``; at most two chunks per worker are in flight, so memory stays bounded however
    many sources there are. A source that cannot be parsed yields an outcome with its error.
    """
    count = (os.cpu_count() or 1) if workers is None else workers
    if count < 1:
        raise ValueError("workers must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    chunks = _chunks(sources, chunk_size)
    head = list(islice(chunks, 2))
    if count == 1 or len(head) < 2:  # nothing to share out: skip the pool start-up
        try:
            for chunk in chain(head, chunks):
                for source in chunk:
                    yield _parse_source(source)
        finally:
            _ZIPS.close()
        return

    pool = _Pool(count)
    pending: deque[tuple[Future[list[ParseOutcome]], list[ActivitySource]]] = deque()
    window = 2 * count
    try:
        for chunk in chain(head, chunks):
            pending.append((pool.submit(chunk), chunk))
            while len(pending) >= window:
                future, done = pending.popleft()
                yield from pool.result(future, done)
        while pending:
            future, done = pending.popleft()
            yield from pool.result(future, done)
    finally:
        for future, _ in pending:
            future.cancel()
        pool.close()
