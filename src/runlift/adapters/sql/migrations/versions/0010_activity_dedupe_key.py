"""A unique duplicate key per activity, so the database itself refuses a second copy.

Existing rows get their key (``dto.activity_dedupe_key`` at this revision, computed here so the
revision never changes with the code). Where activities were already stored twice, the oldest
copy (lowest id) takes the key and the later copies keep a NULL key: nothing is deleted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BATCH = 1000

_activities = sa.table(
    "activities",
    sa.column("id", sa.Integer()),
    sa.column("athlete_id", sa.Integer()),
    sa.column("sport", sa.String()),
    sa.column("leg_index", sa.Integer()),
    sa.column("start_utc", sa.DateTime(timezone=True)),
    sa.column("elapsed_s", sa.Float()),
    sa.column("source_format", sa.String()),
    sa.column("content_hash", sa.String()),
    sa.column("dedupe_key", sa.String()),
)


def _key(row: sa.Row[tuple[object, ...]]) -> str | None:
    start = row.start_utc
    if isinstance(start, str):  # SQLite without type information hands back text
        start = datetime.fromisoformat(start)
    if start is not None and (start.tzinfo is None or start.utcoffset() is None):
        start = start.replace(tzinfo=UTC)
    instant = "-" if start is None else str((start - _EPOCH) // timedelta(milliseconds=1))
    if row.content_hash is not None:
        leg = "" if row.leg_index is None else str(row.leg_index)
        return f"file:{row.content_hash}:{leg}:{instant}:{row.sport}"
    if row.source_format == "manual" and start is not None:
        return f"manual:{row.sport}:{instant}:{row.elapsed_s:.3f}"
    return None


def upgrade() -> None:
    # Plain ALTER TABLE, as in 0003: a batch copy of ``activities`` would cascade to its sets.
    op.add_column("activities", sa.Column("dedupe_key", sa.String(length=255), nullable=True))
    bind = op.get_bind()
    seen: set[tuple[int, str]] = set()
    updates: list[dict[str, object]] = []
    rows = bind.execute(sa.select(_activities).order_by(_activities.c.id))
    for row in rows:
        key = _key(row)
        if key is None or (row.athlete_id, key) in seen:
            continue  # a later copy of one already stored keeps NULL
        seen.add((row.athlete_id, key))
        updates.append({"row_id": row.id, "key": key})
    update = (
        sa.update(_activities)
        .where(_activities.c.id == sa.bindparam("row_id"))
        .values(dedupe_key=sa.bindparam("key"))
    )
    for first in range(0, len(updates), _BATCH):
        bind.execute(update, updates[first : first + _BATCH])
    # A unique index, not a constraint: SQLite cannot add a constraint to a table in place.
    op.create_index(
        "ix_activities_athlete_id_dedupe_key",
        "activities",
        ["athlete_id", "dedupe_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_activities_athlete_id_dedupe_key", table_name="activities")
    op.drop_column("activities", "dedupe_key")
