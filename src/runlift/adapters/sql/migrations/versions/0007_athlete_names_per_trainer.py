"""Athlete names unique per trainer: ``athletes.owner_id`` (the trainer whose client the
athlete is, 0 for the command line's) and ``name_key`` scoped by it.

The unique constraint on ``name_key`` stays; a trainer's client's key gets a tab and the
trainer's id after the case-folded name (``dto.scoped_name_key``), so two trainers may each
have a "Sam Lee". Done with plain ALTER TABLE and UPDATE: a batch "move and copy" of
``athletes`` would drop the table, and its foreign keys would cascade to everything stored.

Downgrading fails when two trainers have clients of the same name (the old schema cannot
hold them).

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-17
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRAINER = (
    "SELECT users.trainer_id FROM users WHERE users.athlete_id = athletes.id "
    "AND users.role = 'client' AND users.trainer_id IS NOT NULL"
)


def upgrade() -> None:
    op.add_column(
        "athletes", sa.Column("owner_id", sa.Integer(), server_default="0", nullable=False)
    )
    op.execute(f"UPDATE athletes SET owner_id = ({_TRAINER}) WHERE EXISTS ({_TRAINER})")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "athletes",
            "name_key",
            existing_type=sa.String(length=200),
            type_=sa.String(length=240),
            existing_nullable=False,
        )
    op.get_bind().execute(
        sa.text(
            "UPDATE athletes SET name_key = name_key || :tab || CAST(owner_id AS VARCHAR(12)) "
            "WHERE owner_id <> 0"
        ),
        {"tab": "\t"},
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        plain = "split_part(name_key, chr(9), 1)"
    else:
        plain = "substr(name_key, 1, instr(name_key, char(9)) - 1)"
    op.execute(f"UPDATE athletes SET name_key = {plain} WHERE owner_id <> 0")
    if bind.dialect.name == "postgresql":
        op.alter_column(
            "athletes",
            "name_key",
            existing_type=sa.String(length=240),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
    op.drop_column("athletes", "owner_id")
