"""Each account's unit preference: metric (km, min/km, kg) or imperial (miles, min/mile, lb).

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing accounts read metric, as before.
    op.add_column(
        "users",
        sa.Column("units", sa.String(length=16), nullable=False, server_default="metric"),
    )


def downgrade() -> None:
    op.drop_column("users", "units")
