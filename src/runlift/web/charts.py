"""Plotly figures as plain dicts (``{"data": [...], "layout": {...}}``) for the pages.

Pages embed a figure as JSON in ``<script type="application/json" id=...>`` next to a
``<div class="plot" data-figure=...>``; ``static/app.js`` draws it with the Plotly bundled in
the ``plotly`` package. No Plotly import is needed here: the figures are data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from runlift.domain.load import ACWR_SPIKE, LoadDay
from runlift.domain.wellness import CheckIn

Figure = dict[str, Any]

_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12}
_COLOURS = {
    "fitness": "#1f6feb",
    "fatigue": "#c62828",
    "form": "#2e7d32",
    "acwr": "#8e44ad",
    "load": "rgba(120, 130, 140, 0.35)",
    "sleep": "rgba(31, 111, 235, 0.45)",
    "soreness": "#b26a00",
    "mood": "#2e7d32",
    "fatigue_item": "#c62828",
    "rhr": "#c62828",
    "hrv": "#1f6feb",
}


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 14}},
        "font": _FONT,
        "margin": {"l": 48, "r": 48, "t": 40, "b": 40},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "hovermode": "x unified",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "height": 360,
    }
    layout.update(extra)
    return layout


def _dates(days: Sequence[date]) -> list[str]:
    return [day.isoformat() for day in days]


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _line(
    name: str,
    x: list[str],
    y: list[float | None],
    line: dict[str, Any],
    *,
    mode: str = "lines",
    axes: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A scatter trace drawn as a line, on ``axes`` (default: x and y); ``extra``: markers,
    gaps."""
    trace = {"type": "scatter", "mode": mode, "name": name, "x": x, "y": y, **(axes or {})}
    return {**trace, "line": line, **extra}


def _threshold(axis: str, value: float, colour: str) -> dict[str, Any]:
    """A dashed line across the plot at ``value`` of the y axis ``axis``."""
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": axis,
        "y0": value,
        "y1": value,
        "line": {"color": colour, "width": 1, "dash": "dash"},
    }


def load_figure(days: Sequence[LoadDay], *, title: str = "Training load") -> Figure:
    """Fitness (CTL), fatigue (ATL) and form (TSB) by day, the daily load as bars, and the
    acute:chronic workload ratio (EWMA) on a second axis with its spike threshold."""
    x = _dates([day.date for day in days])
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Daily load",
            "x": x,
            "y": [_r(day.load, 0) for day in days],
            "marker": {"color": _COLOURS["load"]},
            "hovertemplate": "%{y:.0f}",
        },
        _line(
            "Fitness (CTL)",
            x,
            [_r(day.ctl) for day in days],
            {"color": _COLOURS["fitness"], "width": 2},
        ),
        _line(
            "Fatigue (ATL)",
            x,
            [_r(day.atl) for day in days],
            {"color": _COLOURS["fatigue"], "width": 2},
        ),
        _line(
            "Form (TSB)",
            x,
            [_r(day.tsb) for day in days],
            {"color": _COLOURS["form"], "width": 2, "dash": "dot"},
        ),
        _line(
            "ACWR",
            x,
            [_r(day.acwr_ewma, 2) for day in days],
            {"color": _COLOURS["acwr"], "width": 2},
            axes={"yaxis": "y2"},
            connectgaps=False,
        ),
    ]
    layout = _layout(
        title,
        yaxis={"title": {"text": "load · CTL · ATL · TSB"}, "zeroline": True},
        yaxis2={
            "title": {"text": "ACWR"},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
        xaxis={"type": "date"},
        barmode="overlay",
    )
    if x:
        layout["shapes"] = [_threshold("y2", ACWR_SPIKE, _COLOURS["acwr"])]
    return {"data": data, "layout": layout}


def wellness_figure(
    checkins: Sequence[CheckIn], first: date, last: date, *, title: str = "Wellness"
) -> Figure:
    """Check-ins from ``first`` to ``last`` in three bands: sleep hours; soreness, mood and
    fatigue (1–5, 5 = best); resting heart rate and HRV (rMSSD) on two axes. Days without a
    check-in are gaps."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    by_day = {c.day: c for c in checkins if first <= c.day <= last}
    x = _dates(days)

    def column(name: str) -> list[float | None]:
        values: list[float | None] = []
        for day in days:
            checkin = by_day.get(day)
            value = None if checkin is None else getattr(checkin, name)
            values.append(None if value is None else float(value))
        return values

    def line(name: str, field: str, colour: str, axis: str) -> dict[str, Any]:
        return _line(
            name,
            x,
            column(field),
            {"color": colour, "width": 2},
            mode="lines+markers",
            axes={"xaxis": "x", "yaxis": axis},
            marker={"size": 5},
            connectgaps=False,
        )

    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Sleep (h)",
            "x": x,
            "y": column("sleep_hours"),
            "xaxis": "x",
            "yaxis": "y",
            "marker": {"color": _COLOURS["sleep"]},
        },
        line("Soreness (5 = none)", "soreness", _COLOURS["soreness"], "y2"),
        line("Mood", "mood", _COLOURS["mood"], "y2"),
        line("Fatigue (5 = fresh)", "fatigue", _COLOURS["fatigue_item"], "y2"),
        line("Resting HR (bpm)", "resting_hr", _COLOURS["rhr"], "y3"),
        line("HRV rMSSD (ms)", "hrv_rmssd_ms", _COLOURS["hrv"], "y4"),
    ]
    layout = _layout(
        title,
        height=480,
        xaxis={"type": "date", "anchor": "y3"},
        yaxis={"domain": [0.72, 1.0], "title": {"text": "sleep h"}, "rangemode": "tozero"},
        yaxis2={"domain": [0.38, 0.66], "title": {"text": "1–5"}, "range": [0.5, 5.5]},
        yaxis3={"domain": [0.0, 0.32], "title": {"text": "bpm"}},
        yaxis4={
            "overlaying": "y3",
            "side": "right",
            "title": {"text": "ms"},
            "showgrid": False,
        },
        shapes=[_threshold("y", 7, _COLOURS["sleep"])],
    )
    return {"data": data, "layout": layout}
