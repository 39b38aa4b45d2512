"""Several machines: two Rasa servers and two action servers behind nginx share PostgreSQL and Redis.

Rasa scales with its own parts: conversations in the SQL tracker store (PostgreSQL), one message
of a conversation at a time through the Redis lock store. These tests run the production settings
(deploy/endpoints.yml, deploy/nginx/proxy.conf) on real servers and check what matters to a
participant: a conversation continues on whichever replica gets the next message, even when a
replica dies, and nothing of it is lost.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.content import replies, ui_text
from bot.content.store import Content, load
from bot.handoff.models import Base, HandoffRequest
from bot.rasa import retention
from bot.settings import CONTENT_DIR
from bot.storage import database, migrate
from tests import cluster
from tests.assistant import WEBHOOK, text_of

pytestmark = pytest.mark.system  # PostgreSQL, redis and nginx

LOCK_WAIT_SECONDS = 60


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    """Not pytest's tmp_path: its parents are closed to the postgres user the server runs as."""
    path = Path(tempfile.mkdtemp(prefix="halsolotsen-cluster-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(folder: Path) -> Iterator[cluster.Postgres]:
    with cluster.postgres(folder / "postgres") as server:
        yield server


@pytest.fixture(scope="module")
def running(trained_model: Path, postgres: cluster.Postgres, folder: Path) -> Iterator[cluster.Cluster]:
    with cluster.running(trained_model, postgres, folder) as started:
        yield started


def say(running: cluster.Cluster, sender: str, text: str) -> tuple[list[dict[str, Any]], str]:
    """The reply through the load balancer, and which Rasa server gave it (the last one nginx tried)."""
    response = httpx.post(f"{running.balancer_url}{WEBHOOK}", json={"sender": sender, "message": text}, timeout=120)
    response.raise_for_status()
    return response.json(), response.headers[cluster.UPSTREAM_HEADER].split(", ")[-1]


def handoff_form(content: Content, name: str) -> list[tuple[str, str]]:
    """A whole hand-off request: each message with a text its reply must contain. The name given
    at the third message is in the summary at the eighth, so the form's state must travel."""

    def asks(key: str) -> str:
        return replies.ui(content, key, "sv")

    return [
        ("/handoff", asks(ui_text.HANDOFF_CONSENT)),
        (replies.choice_payload("yes"), asks(ui_text.HANDOFF_ASK_NAME)),
        (name, asks(ui_text.HANDOFF_ASK_INTERPRETER)),
        (replies.choice_payload("no"), asks(ui_text.HANDOFF_ASK_MUNICIPALITY)),
        ("Malmö", asks(ui_text.HANDOFF_ASK_TIMES)),
        (replies.choice_payload("morning"), asks(ui_text.HANDOFF_ASK_CONTACT)),
        (replies.choice_payload("chat"), asks(ui_text.HANDOFF_ASK_NOTE)),
        (replies.choice_payload("none"), name),
        (replies.choice_payload("yes"), "H-"),
    ]


def test_replicas_create_the_handoff_tables_together(postgres: cluster.Postgres) -> None:
    """Every replica migrates the database on its first use; starting together must not fail one of
    them, and the migrations make on PostgreSQL exactly what the models describe."""
    url = postgres.new_database("tables_together")
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def first_use() -> None:
        start.wait()
        try:
            database.engine.__wrapped__(url).dispose()  # not the cache: each thread as its own process
        except Exception as error:  # reported below, with the others
            failures.append(error)

    threads = [threading.Thread(target=first_use) for _ in range(start.parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    engine = sa.create_engine(url)
    assert set(sa.inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
    with engine.connect() as connection:
        assert migrate.current(connection) == migrate.head()
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_a_message_waits_for_its_conversation_lock_in_redis(running: cluster.Cluster) -> None:
    """While another replica holds a conversation's ticket, a new message for it waits in Redis's queue."""
    locks, sender = running.lock_store(), f"test-{uuid.uuid4().hex[:12]}"
    ticket = locks.issue_ticket(sender, lock_lifetime=LOCK_WAIT_SECONDS)
    answered: list[list[dict[str, Any]]] = []
    message = threading.Thread(target=lambda: answered.append(say(running, sender, "hej")[0]))
    message.start()
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while len(locks.get_lock(sender).tickets) < 2:  # the replica's ticket joins ours
        assert time.monotonic() < deadline, "no Rasa server queued for the conversation's lock in Redis"
        time.sleep(0.1)
    assert cluster.user_messages(running.database.url, sender) == []  # waiting, not handled
    locks.cleanup(sender, ticket)
    message.join()
    assert text_of(answered[0])
    assert cluster.user_messages(running.database.url, sender) == ["hej"]
    assert locks.get_lock(sender) is None  # the replica let go of it


def test_retention_forgets_conversations_in_postgresql(running: cluster.Cluster) -> None:
    """The retention job of deploy/compose.yml (`python -m bot forget --db-url`) works on PostgreSQL."""
    sender = f"test-{uuid.uuid4().hex[:12]}"
    say(running, sender, "hej")
    later = time.time() + retention.RETENTION.total_seconds() + 3600
    assert retention.forget_idle_conversations(running.database.url, now=later) > 0
    assert cluster.user_messages(running.database.url, sender) == []


def test_conversations_continue_on_any_replica_and_when_one_dies(running: cluster.Cluster) -> None:
    """Three hand-off requests, one message of each in turn: nginx's round robin sends a
    conversation's consecutive messages to different replicas. Halfway one replica is killed;
    every request still completes, with every message stored once in PostgreSQL."""
    content = load(CONTENT_DIR)
    names = ["Amina", "Yonas", "Hodan"]  # an odd number, so each conversation alternates
    forms = {f"test-{uuid.uuid4().hex[:12]}": handoff_form(content, name) for name in names}
    served: dict[str, list[str]] = {sender: [] for sender in forms}
    references: dict[str, str] = {}
    killed, survivor = list(running.replicas)
    halfway = len(next(iter(forms.values()))) // 2

    for step in range(len(next(iter(forms.values())))):
        if step == halfway:
            running.replicas[killed].process.kill()  # no goodbye: as a crashed machine
            running.replicas[killed].process.wait()
        for sender, form in forms.items():
            text, expected = form[step]
            reply, replica = say(running, sender, text)
            assert expected in text_of(reply), f"step {step + 1} of {sender} on {replica}"
            served[sender].append(replica)
            references.update((sender, m["custom"]["handoff"]) for m in reply if "handoff" in m.get("custom", {}))

    for sender, replicas in served.items():
        assert any(a != b for a, b in itertools.pairwise(replicas[:halfway])), replicas
        assert set(replicas[halfway:]) == {survivor}
        assert cluster.user_messages(running.database.url, sender) == [text for text, _ in forms[sender]]
    with database.transaction(running.database.url) as session:
        stored = {r.sender: (r.name, r.municipality, r.reference) for r in session.query(HandoffRequest)}
    assert stored == {sender: (name, "Malmö", references[sender]) for sender, name in zip(forms, names, strict=True)}
