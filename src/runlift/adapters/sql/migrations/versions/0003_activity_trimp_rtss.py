"""Banister TRIMP and running TSS of each activity, computed when it is stored.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE (SQLite ≥ 3.35 drops columns in place): a batch "move and copy" of
# ``activities`` would drop the table, and its foreign keys would cascade to the strength sets.


def upgrade() -> None:
    op.add_column("activities", sa.Column("trimp", sa.Float(), nullable=True))
    op.add_column("activities", sa.Column("rtss", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("activities", "rtss")
    op.drop_column("activities", "trimp")
