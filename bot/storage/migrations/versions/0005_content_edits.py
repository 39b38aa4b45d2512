"""Content edits: the history of content YAML saved from the browser (bot/content/editing.py).

Like the baseline, the table is made only where it is missing: a development database made by
`create_all` from the models already has it.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "content_edits" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "content_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("content_edits") as batch_op:
        batch_op.create_index(batch_op.f("ix_content_edits_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_edits_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_edits") as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_edits_item_id"))
        batch_op.drop_index(batch_op.f("ix_content_edits_at"))
    op.drop_table("content_edits")
