"""The training-load chart: fitness, fatigue and form, with the ACWR on a second axis.

The only module that imports matplotlib. It draws on a ``Figure`` with the Agg canvas (no
``pyplot``, no global state, no display needed) and writes PNG or SVG, chosen by the file's
suffix. Output is reproducible: no creation date or software stamp in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Final

from runlift.domain.load import ACWR_SPIKE, LoadDay

__all__ = ["CHART_FORMATS", "write_load_chart"]

#: File suffix → matplotlib format.
CHART_FORMATS: Final = {".png": "png", ".svg": "svg"}

#: Matplotlib's date numbers count days from this epoch (its default since 3.3).
_EPOCH: Final = date(1970, 1, 1)

_COLOURS: Final = {
    "load": "#c8c8c8",
    "ctl": "#1f77b4",
    "atl": "#d62728",
    "tsb": "#2ca02c",
    "acwr": "#9467bd",
    "spike": "#ff7f0e",
}


def chart_format(path: Path) -> str:
    """The format for ``path`` by its suffix. Raises ValueError for anything but .png/.svg."""
    try:
        return CHART_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(
            f"{path}: a chart is written as .png or .svg, not {path.suffix or 'no suffix'!r}"
        ) from None


def write_load_chart(path: Path, days: Sequence[LoadDay], title: str) -> None:
    """Draw ``days`` (daily load bars; CTL, ATL, TSB lines; ACWR on the right) into ``path``.

    Raises:
        ValueError: the suffix is not .png or .svg.
        OSError: the file cannot be written.
    """
    fmt = chart_format(path)
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    with rc_context({"svg.hashsalt": "runlift", "font.size": 9}):
        figure = Figure(figsize=(10, 5), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        axis = figure.add_subplot()
        axis.set_title(title)
        axis.set_ylabel("load (session RPE × min)")
        dates = [float((day.date - _EPOCH).days) for day in days]  # matplotlib date numbers
        if not days:
            axis.text(0.5, 0.5, "no activities in this window", ha="center", va="center")
            axis.set_axis_off()
        else:
            axis.bar(dates, [d.load for d in days], color=_COLOURS["load"], label="daily load")
            axis.plot(dates, [d.ctl for d in days], color=_COLOURS["ctl"], label="fitness (CTL)")
            axis.plot(dates, [d.atl for d in days], color=_COLOURS["atl"], label="fatigue (ATL)")
            axis.plot(dates, [d.tsb for d in days], color=_COLOURS["tsb"], label="form (TSB)")
            axis.axhline(0, color="black", linewidth=0.5)
            locator = AutoDateLocator()  # type: ignore[no-untyped-call]
            axis.xaxis.set_major_locator(locator)
            formatter = ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
            axis.xaxis.set_major_formatter(formatter)
            ratio = axis.twinx()
            ratio.set_ylabel("acute:chronic workload ratio")
            ewma = [float("nan") if d.acwr_ewma is None else d.acwr_ewma for d in days]
            rolling = [float("nan") if d.acwr_rolling is None else d.acwr_rolling for d in days]
            ratio.plot(dates, ewma, color=_COLOURS["acwr"], label="ACWR (EWMA)")
            ratio.plot(
                dates, rolling, color=_COLOURS["acwr"], linestyle=":", label="ACWR (rolling)"
            )
            ratio.axhline(
                ACWR_SPIKE, color=_COLOURS["spike"], linestyle="--", label=f"ACWR {ACWR_SPIKE:g}"
            )
            known = [value for value in (*ewma, *rolling) if value == value]
            ratio.set_ylim(0, max([2.0, *(value * 1.1 for value in known)]))
            lines, labels = axis.get_legend_handles_labels()
            more_lines, more_labels = ratio.get_legend_handles_labels()
            axis.legend(lines + more_lines, labels + more_labels, loc="upper left", fontsize=8)
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(path, format=fmt, metadata=metadata)
