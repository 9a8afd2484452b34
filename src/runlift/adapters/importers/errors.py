"""The one error the activity importers raise."""

from __future__ import annotations

from runlift.domain.errors import RunliftError


class ImportFailed(RunliftError):
    """An activity file could not be imported; ``file`` names it, ``reason`` says why."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")

    def __reduce__(self) -> tuple[type[ImportFailed], tuple[str, str]]:
        # Keeps the error picklable, so it can cross a process boundary intact.
        return (ImportFailed, (self.file, self.reason))
