"""Recording reviews, group notices, recorder languages, the audit log's subject, idle logins.

Issue 17's fixes as one step (written in parallel before any release): recordings go live after
a second person (`recording_reviews`) and recorders are scoped to languages
(`coordinators.languages`, empty for existing accounts until an administrator runs
`bot account languages`); the coordinators' group notices are kept so they can be deleted
(`group_notices`); the audit log names a recording's language and text (`audit_log.subject`); a
login ends when idle (`login_sessions.last_active_at`, "now" for existing logins); and wrong
passwords no longer lock an account (`coordinators.locked_until` goes).

Like the baseline, each step is made only where it is missing: a development database made by
`create_all` from these models already has them.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "group_notices" not in tables:
        op.create_table(
            "group_notices",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("request_id", sa.Integer(), nullable=True),
            sa.Column("chat_id", sa.BigInteger(), nullable=False),
            sa.Column("message_id", sa.BigInteger(), nullable=False),
            sa.Column("sent_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("group_notices") as batch_op:
            batch_op.create_index(batch_op.f("ix_group_notices_request_id"), ["request_id"], unique=False)
    if "recording_reviews" not in tables:
        op.create_table(
            "recording_reviews",
            sa.Column("lang", sa.String(length=8), nullable=False),
            sa.Column("audio_id", sa.String(length=64), nullable=False),
            sa.Column("pending_by", sa.String(length=64), nullable=True),
            sa.Column("pending_at", sa.DateTime(), nullable=True),
            sa.Column("approved_by", sa.String(length=64), nullable=True),
            sa.Column("approved_at", sa.DateTime(), nullable=True),
            sa.Column("undoable", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("lang", "audio_id"),
        )
    if "subject" not in _columns("audit_log"):
        with op.batch_alter_table("audit_log") as batch_op:
            batch_op.add_column(sa.Column("subject", sa.String(length=100), nullable=True))
    coordinators = _columns("coordinators")
    if "languages" not in coordinators or "locked_until" in coordinators:
        with op.batch_alter_table("coordinators") as batch_op:
            if "languages" not in coordinators:
                batch_op.add_column(sa.Column("languages", sa.Text(), nullable=False, server_default=""))
            if "locked_until" in coordinators:
                batch_op.drop_column("locked_until")
    if "last_active_at" not in _columns("login_sessions"):
        with op.batch_alter_table("login_sessions") as batch_op:
            batch_op.add_column(
                sa.Column("last_active_at", sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp())
            )


def downgrade() -> None:
    with op.batch_alter_table("login_sessions") as batch_op:
        batch_op.drop_column("last_active_at")
    with op.batch_alter_table("coordinators") as batch_op:
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch_op.drop_column("languages")
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_column("subject")
    op.drop_table("recording_reviews")
    with op.batch_alter_table("group_notices") as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_notices_request_id"))
    op.drop_table("group_notices")
