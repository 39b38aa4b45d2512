"""The funder's monthly summary counts (`usage_counts`, bot/insights/models.py `UsageCount`).

Made only where it is missing, as 0002 does: a development database made by `create_all` from the
models already has it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "usage_counts" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "usage_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "channel", "language", "kind", "item", "municipality"),
    )


def downgrade() -> None:
    op.drop_table("usage_counts")
