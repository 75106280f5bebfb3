"""agenda items' papers, their text read once when added

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing items have no papers; the server default fills them in.
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("papers", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("papers")
