"""the day an interest's holder last confirmed it (set by an annual return)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_column("reviewed_on")
