"""The real clock (the application asks a ``Clock`` port, so tests can fix the time)."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        """The current instant, aware UTC."""
        return datetime.now(UTC)
