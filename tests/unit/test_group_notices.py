"""The coordinators' Telegram group notices: the relay posts them through a real python-telegram-bot
`Bot` to the fake Bot API on loopback (tests/fake_telegram.py), with a real SQLite hand-off
database. A notice names no person, and it is deleted from the group when the participant deletes
their data, when the request reaches retention, and after GROUP_NOTICE_HOURS in any case."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from telegram import Bot

from bot.audio.library import AudioIndex
from bot.content.store import ContentStore
from bot.handoff import notices, participants
from bot.handoff.models import GroupNotice, HandoffMessage, HandoffRequest, utcnow
from bot.settings import CONTENT_DIR
from bot.storage.database import transaction
from bot.telegram.delivery import Delivery
from bot.telegram.relay import Relay
from tests.fake_telegram import Call, FakeBotApi
from tests.unit.test_handoff_store import form

TOKEN = "123456:group-notice-test"
GROUP = -1009001
PUBLIC_URL = "https://halsolotsen.example.se"
PHONE = "070-123 45 67"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'handoff.db'}"


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    yield FakeBotApi(TOKEN).start()


@pytest.fixture(scope="module")
def content() -> ContentStore:
    return ContentStore(CONTENT_DIR)


@pytest.fixture
def relay_once(api: FakeBotApi, content: ContentStore, tmp_path: Path) -> Callable[[str], list[Call]]:
    return lambda url: _relay_once(api, content, url, tmp_path)


def _relay_once(api: FakeBotApi, content: ContentStore, url: str, tmp_path: Path) -> list[Call]:
    """One pass of the front end's relay; the Bot API calls it made."""

    async def once() -> None:
        bot = Bot(TOKEN, base_url=api.base_url)
        async with bot, httpx.AsyncClient() as http:
            delivery = Delivery(bot, http)
            audio = AudioIndex(tmp_path / "audio", PUBLIC_URL)
            await Relay(content, audio, delivery, GROUP, PUBLIC_URL, url).once()

    before = len(api.calls)
    asyncio.run(once())
    return [call for call in api.calls[before:] if call.method in ("sendMessage", "deleteMessage")]


def stored(url: str) -> list[tuple[int | None, int]]:
    with transaction(url) as session:
        return [(row.request_id, row.message_id) for row in session.scalars(select(GroupNotice))]


def request(sender: str, url: str, name: str = "Amal Yusuf") -> int:
    filled = replace(form(sender), name=name, contact="phone", phone=PHONE, note="HIV")
    reference = participants.save(filled, url)
    return int(reference.removeprefix("H-"))


def deleted(calls: list[Call]) -> list[tuple[int, int]]:
    return [(int(c.params["chat_id"]), int(c.params["message_id"])) for c in calls if c.method == "deleteMessage"]


def test_a_notice_says_language_and_municipality_only_and_goes_when_the_participant_deletes(
    url: str, relay_once: Callable[[str], list[Call]]
) -> None:
    request_id = request("p1", url)
    (notice,) = relay_once(url)
    assert (notice.method, int(notice.params["chat_id"])) == ("sendMessage", GROUP)
    text = notice.params["text"]
    assert text == (
        "Ny förfrågan på arabiska i Malmö. Tolk behövs.\nÖppna koordinatorsidan: https://halsolotsen.example.se/koordinator/"
    )
    for personal in ("Amal", "Yusuf", PHONE, "HIV", f"H-{request_id}", str(request_id)):
        assert personal not in text
    ((kept_for, message_id),) = stored(url)
    assert kept_for == request_id
    assert relay_once(url) == [], "told once, and nothing to delete yet"

    assert participants.delete_all("p1", url) == 1  # /radera
    assert deleted(relay_once(url)) == [(GROUP, message_id)]
    assert stored(url) == []
    assert relay_once(url) == []


def test_a_notice_goes_when_its_request_reaches_retention_and_after_a_day_in_any_case(
    url: str, relay_once: Callable[[str], list[Call]]
) -> None:
    old, recent = request("p1", url), request("p2", url)
    relay_once(url)
    ids = dict(stored(url))
    then = utcnow() - dt.timedelta(days=31)
    with transaction(url) as session:
        session.execute(update(HandoffRequest).where(HandoffRequest.id == old).values(updated_at=then))
        session.execute(update(HandoffMessage).where(HandoffMessage.request_id == old).values(created_at=then))
    assert participants.forget_old(30, url) == 1
    assert deleted(relay_once(url)) == [(GROUP, ids[old])]

    a_day = utcnow() - dt.timedelta(hours=notices.GROUP_NOTICE_HOURS, minutes=1)
    with transaction(url) as session:
        session.execute(update(GroupNotice).values(sent_at=a_day))
    assert deleted(relay_once(url)) == [(GROUP, ids[recent])]
    assert participants.count("p2", url) == 1, "the request itself is kept"


def test_a_notice_telegram_refuses_to_send_or_delete_holds_up_nothing(
    api: FakeBotApi, url: str, relay_once: Callable[[str], list[Call]]
) -> None:
    request("p1", url)
    second = request("p2", url)
    api.fail_next("sendMessage", 400, "Bad Request: message is too long")
    sent = relay_once(url)
    assert len([c for c in sent if c.method == "sendMessage"]) == 2, "the next request is still announced"
    assert [request_id for request_id, _ in stored(url)] == [second]
    assert relay_once(url) == [], "a refused notice is not tried again and again"

    participants.delete_all("p2", url)
    api.fail_next("deleteMessage", 400, "Bad Request: message can't be deleted")
    assert len(deleted(relay_once(url))) == 1
    assert stored(url) == [], "Telegram will not delete it: forgotten, not retried forever"
