"""old ids kept as aliases after `coi ... rename`

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_aliases",
        sa.Column("section", sa.String(length=30), nullable=False),
        sa.Column("old_id", sa.String(length=120), nullable=False),
        sa.Column("new_id", sa.String(length=120), nullable=False),
        sa.Column("renamed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("section", "old_id", name=op.f("pk_id_aliases")),
    )
    with op.batch_alter_table("id_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_id_aliases_new_id"), ["new_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("id_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_id_aliases_new_id"))
    op.drop_table("id_aliases")
