"""The overtraining watch's sensitivity per athlete (conservative, standard, sensitive).

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, as in 0003: a batch "move and copy" of ``athletes`` would drop the table
# and cascade to every row that refers to it. Existing athletes read "standard".


def upgrade() -> None:
    op.add_column(
        "athletes",
        sa.Column(
            "watch_sensitivity",
            sa.String(length=20),
            nullable=False,
            server_default="standard",
        ),
    )


def downgrade() -> None:
    op.drop_column("athletes", "watch_sensitivity")
