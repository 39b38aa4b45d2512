"""Baseline: the hand-off, accounts and insights tables as they were when migrations began.

A database made before then by `create_all` already has some or all of these tables, with rows in
them: each table is made only where it is missing, so such a database is recorded at this revision,
not recreated. The one change made by hand before migrations (the `consented` column, bot/insights)
is applied here to a table still without it, emptying the texts nobody said yes to.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list[str], list[sa.Column]]]:
    """Fresh each time: a Column belongs to the one table it is made for."""
    return [  # in the order their foreign keys need
        (
            "audit_log",
            ["at"],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("at", sa.DateTime(), nullable=False),
                sa.Column("actor", sa.String(length=64), nullable=False),
                sa.Column("action", sa.String(length=32), nullable=False),
                sa.Column("request_id", sa.Integer(), nullable=True),
            ],
        ),
        (
            "coordinators",
            [],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("username", sa.String(length=64), nullable=False, unique=True),
                sa.Column("password_hash", sa.String(length=255), nullable=False),
                sa.Column("role", sa.String(length=16), nullable=False),
                sa.Column("municipalities", sa.Text(), nullable=False),
                sa.Column("failed_logins", sa.Integer(), nullable=False),
                sa.Column("locked_until", sa.DateTime(), nullable=True),
                sa.Column("disabled", sa.Boolean(), nullable=False),
                sa.Column("created_at", sa.DateTime(), nullable=False),
            ],
        ),
        (
            "suggestion_taps",
            ["day"],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("day", sa.Date(), nullable=False),
                sa.Column("language", sa.String(length=8), nullable=False),
                sa.Column("item", sa.String(length=64), nullable=False),
                sa.Column("rank", sa.Integer(), nullable=False),
            ],
        ),
        (
            "unanswered_questions",
            ["day"],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("day", sa.Date(), nullable=False),
                sa.Column("language", sa.String(length=8), nullable=False),
                sa.Column("kind", sa.String(length=16), nullable=False),
                sa.Column("topic", sa.String(length=64), nullable=True),
                sa.Column("topic_title", sa.String(length=200), nullable=True),
                sa.Column("text", sa.String(length=300), nullable=False),
                sa.Column("consented", sa.Boolean(), server_default=sa.false(), nullable=False),
            ],
        ),
        (
            "handoff_requests",
            ["municipality", "sender", "status"],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("sender", sa.String(length=128), nullable=False),
                sa.Column("channel", sa.String(length=16), nullable=False),
                sa.Column("reply_address", sa.String(length=64), nullable=True),
                sa.Column("name", sa.String(length=100), nullable=False),
                sa.Column("language", sa.String(length=8), nullable=False),
                sa.Column("interpreter", sa.Boolean(), nullable=False),
                sa.Column("municipality", sa.String(length=100), nullable=False),
                sa.Column("times", sa.String(length=200), nullable=False),
                sa.Column("contact", sa.String(length=8), nullable=False),
                sa.Column("phone", sa.String(length=32), nullable=True),
                sa.Column("note", sa.String(length=500), nullable=True),
                sa.Column("status", sa.String(length=16), nullable=False),
                sa.Column("live", sa.Boolean(), nullable=False),
                sa.Column(
                    "claimed_by", sa.Integer(), sa.ForeignKey("coordinators.id", ondelete="SET NULL"), nullable=True
                ),
                sa.Column("booked_at", sa.DateTime(), nullable=True),
                sa.Column("notified", sa.Boolean(), nullable=False),
                sa.Column("created_at", sa.DateTime(), nullable=False),
                sa.Column("updated_at", sa.DateTime(), nullable=False),
            ],
        ),
        (
            "login_sessions",
            ["coordinator_id"],
            [
                sa.Column("token_hash", sa.String(length=64), primary_key=True),
                sa.Column(
                    "coordinator_id", sa.Integer(), sa.ForeignKey("coordinators.id", ondelete="CASCADE"), nullable=False
                ),
                sa.Column("csrf_token", sa.String(length=64), nullable=False),
                sa.Column("created_at", sa.DateTime(), nullable=False),
                sa.Column("expires_at", sa.DateTime(), nullable=False),
            ],
        ),
        (
            "handoff_messages",
            ["request_id"],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column(
                    "request_id", sa.Integer(), sa.ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False
                ),
                sa.Column("author", sa.String(length=16), nullable=False),
                sa.Column("text", sa.Text(), nullable=False),
                sa.Column("proposal_ids", sa.String(length=64), nullable=True),
                sa.Column("created_at", sa.DateTime(), nullable=False),
                sa.Column("delivered_at", sa.DateTime(), nullable=True),
            ],
        ),
        (
            "time_proposals",
            ["request_id"],
            [
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column(
                    "request_id", sa.Integer(), sa.ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False
                ),
                sa.Column("starts_at", sa.DateTime(), nullable=False),
                sa.Column("accepted", sa.Boolean(), nullable=False),
            ],
        ),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, indexed, columns in _tables():
        if name in existing:
            continue
        op.create_table(name, *columns)
        for column in indexed:
            op.create_index(op.f(f"ix_{name}_{column}"), name, [column])
    _add_consent()


def _add_consent() -> None:
    """A table made before participants were asked lacks the column; its texts had no yes."""
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("unanswered_questions")}
    if "consented" in columns:
        return
    with op.batch_alter_table("unanswered_questions") as batch:
        batch.add_column(sa.Column("consented", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE unanswered_questions SET text = ''")


def downgrade() -> None:
    for name, _indexed, _columns in reversed(_tables()):
        op.drop_table(name)
