"""Answer ratings: a 👍 or 👎 under a topic answer, per day, language and item, with no identity.

Like the baseline, the table is made only where it is missing: a development database made by
`create_all` from the models already has it.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "answer_ratings" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "answer_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer_ratings") as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_ratings_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answer_ratings") as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_ratings_day"))
    op.drop_table("answer_ratings")
