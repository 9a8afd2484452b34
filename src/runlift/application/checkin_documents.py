"""The JSON document of a recorded check-in, as ``runlift checkin --format json`` prints it.

The CLI prints it and the web API (``POST /api/v1/athletes/{id}/checkins``) answers with it,
so both build it here (like the documents of :mod:`runlift.application.documents`).
"""

from __future__ import annotations

from typing import Any

from runlift.application.watch import CheckinResult, checkin_dict


def checkin_result_json(result: CheckinResult) -> dict[str, Any]:
    """The stored check-in with its revision of the day and the day's status."""
    return {
        "athlete": result.athlete,
        "date": result.checkin.day.isoformat(),
        "revision": result.saved.revision,
        "updated": result.saved.updated,
        "checkin": checkin_dict(result.checkin),
        "status": result.status.to_dict(),
    }
