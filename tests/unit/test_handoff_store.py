"""The hand-off database on its own (a real SQLite file): retries make no duplicates, retention
deletes what is old and keeps what is booked ahead, deleting leaves no rows, and the audit log
notes a look once per window but every change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.accounts import store as accounts
from bot.handoff import audit, coordination, participants
from bot.handoff.models import HandoffMessage, HandoffRequest, TimeProposal, utcnow
from bot.storage.database import transaction


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'handoff.db'}"


def form(sender: str, municipality: str = "Malmö") -> participants.RequestForm:
    return participants.RequestForm(
        sender=sender,
        channel="rest",
        name="Amal",
        language="ar",
        interpreter=True,
        municipality=municipality,
        times="morning",
        contact="chat",
        phone=None,
        note=None,
    )


def rows(url: str, table: type) -> int:
    with transaction(url) as session:
        return session.scalar(select(func.count()).select_from(table))


def age(url: str, request_id: int, days: int) -> None:
    """Moves the request's last change and its messages `days` back."""
    then = utcnow() - dt.timedelta(days=days)
    with transaction(url) as session:
        session.execute(update(HandoffRequest).where(HandoffRequest.id == request_id).values(updated_at=then))
        messages = update(HandoffMessage).where(HandoffMessage.request_id == request_id)
        session.execute(messages.values(created_at=then))


def test_confirming_twice_after_a_crash_keeps_one_request(url: str) -> None:
    first = participants.save(form("p1"), url)
    assert participants.save(form("p1"), url) == first
    assert rows(url, HandoffRequest) == 1
    assert participants.open_reference("p1", url) == first


def test_retention_deletes_old_requests_with_everything_in_them_and_keeps_a_future_booking(url: str) -> None:
    coordinator = accounts.create("sara", "ett-långt-lösenord", "coordinator", ["Malmö"], url)
    old, booked_ahead, recent = (int(participants.save(form(s), url)[2:]) for s in ("old", "ahead", "recent"))
    for request_id in (old, booked_ahead):
        coordination.claim(coordinator, request_id, url)
        coordination.write(coordinator, request_id, "Hej!", url)
    [proposal] = coordination.propose(coordinator, booked_ahead, [dt.datetime.now() + dt.timedelta(days=60)], url)[
        "proposals"
    ]
    participants.accept("ahead", proposal["id"], url)
    age(url, old, 31)
    age(url, booked_ahead, 31)
    assert participants.forget_old(30, url) == 1
    with transaction(url) as session:
        assert sorted(session.scalars(select(HandoffRequest.id))) == [booked_ahead, recent]
        assert session.scalar(select(func.count()).where(HandoffMessage.request_id == old)) == 0


def test_retention_counts_from_the_last_message_as_participants_are_told(url: str) -> None:
    """ui.yml handoff_consent: deleted {days} days after the last contact. A message written since
    (either way) is contact, even when the request itself has not changed."""
    coordinator = accounts.create("sara", "ett-långt-lösenord", "coordinator", ["Malmö"], url)
    talked, silent = (int(participants.save(form(s), url)[2:]) for s in ("talked", "silent"))
    for request_id in (talked, silent):
        coordination.claim(coordinator, request_id, url)
        coordination.write(coordinator, request_id, "Hej!", url)
        age(url, request_id, 31)
    participants.add_message(talked, "Tack, jag svarar snart.", url)
    assert participants.forget_old(30, url) == 1
    with transaction(url) as session:
        assert list(session.scalars(select(HandoffRequest.id))) == [talked]


def test_deleting_a_participants_data_leaves_no_rows(url: str) -> None:
    coordinator = accounts.create("sara", "ett-långt-lösenord", "coordinator", ["*"], url)
    request_id = int(participants.save(form("p1"), url)[2:])
    coordination.claim(coordinator, request_id, url)
    coordination.propose(coordinator, request_id, [dt.datetime(2031, 3, 4, 10)], url)
    participants.add_message(request_id, "Tack", url)
    assert participants.delete_all("p1", url) == 1
    assert rows(url, HandoffRequest) == rows(url, HandoffMessage) == rows(url, TimeProposal) == 0


def test_a_look_is_logged_once_per_window_and_every_change_always(url: str) -> None:
    coordinator = accounts.create("sara", "ett-långt-lösenord", "coordinator", ["Malmö"], url)
    request_id = int(participants.save(form("p1"), url)[2:])
    for _ in range(3):
        coordination.detail(coordinator, request_id, url)
        coordination.listing(coordinator, url)
    coordination.claim(coordinator, request_id, url)
    for text in ("Hej!", "Passar tisdag?"):
        coordination.write(coordinator, request_id, text, url)
    actions = [entry.action for entry in audit.entries(url=url)]
    assert sorted(actions) == ["claim", "list", "message", "message", "view"]


def test_a_request_outside_the_coordinators_municipalities_does_not_exist_for_them(url: str) -> None:
    lund = accounts.create("lars", "ett-långt-lösenord", "coordinator", ["Lund"], url)
    request_id = int(participants.save(form("p1", "Malmö"), url)[2:])
    assert coordination.listing(lund, url) == []
    with pytest.raises(coordination.NotFoundError):
        coordination.detail(lund, request_id, url)
