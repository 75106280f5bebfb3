"""a body's secretary (the ORGANIZER of its meetings in exported calendars) and short
name (how calendar titles name it)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("secretary", sa.String(300), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("short_name", sa.String(40), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.drop_column("short_name")
        batch_op.drop_column("secretary")
