"""The Telegram front end, end to end: a real `python -m bot telegram` process, talking to a fake
Bot API server on loopback (python-telegram-bot's base_url) and to the real Rasa and action servers."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import keys, services
from bot.content import replies, ui_text
from bot.content.store import load
from bot.settings import PROJECT_ROOT
from bot.telegram.conversation_id import conversation_id
from tests.assistant import Assistant, free_port
from tests.coordinator import MALMO, Coordinator
from tests.fake_telegram import Call, FakeBotApi, sticker_update, tap_update, text_update

TOKEN = "123456:TEST-secret-token-never-in-logs"
SENDS = ("sendMessage", "sendVoice")
ARABIC_NAME = "العربية"
chat_ids = itertools.count(5001)
COORDINATORS_GROUP = -1009001


class FrontEnd:
    """A running front-end process and the fake Telegram it talks to."""

    def __init__(self, assistant: Assistant, folder: Path, **env: str) -> None:
        self.api = FakeBotApi(TOKEN).start()
        self.log = folder / f"telegram-{self.api.port}.log"
        environment = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": self.api.base_url,
            "HALSOLOTSEN_RASA_URL": assistant.url,
            "HALSOLOTSEN_CONTENT": str(assistant.content_dir),
            "HALSOLOTSEN_VAR": str(assistant.var_dir),
            "HALSOLOTSEN_PUBLIC_URL": assistant.web_url,
            **env,
        }
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [services.web_python(), "-m", "bot", "telegram"],
                cwd=PROJECT_ROOT,
                env=environment,
                stderr=log,
                stdout=log,
            )
        # Ready once it listens for updates: after post_init has set the command menus.
        self.api.wait_for(lambda calls: [c for c in calls if c.method in ("getUpdates", "setWebhook")], timeout=60)

    def say(self, chat_id: int, text: str, language_code: str = "sv") -> int:
        """Sends like a participant; returns how many calls there were before, to read what follows."""
        before = len(self.api.calls)
        self.api.push(text_update(chat_id, text, language_code))
        return before

    def tap(self, chat_id: int, data: str) -> int:
        before = len(self.api.calls)
        self.api.push(tap_update(chat_id, data, message_id=1))
        return before

    def replies(
        self, chat_id: int, since: int, until: Callable[[list[Call]], bool] | None = None, timeout: float = 60
    ) -> list[Call]:
        """Every message (text or voice) to this chat after call number `since`, as soon as `until` holds
        for them; by default, as soon as an answer is complete. Waits as long as the machine needs, up to
        `timeout`, then fails."""
        done = until or answered
        return self.api.wait_for(
            lambda calls: (sent := sent_to(chat_id, calls[since:])) and done(sent) and sent, timeout=timeout
        )

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=20)
        return self.log.read_text(encoding="utf-8")


def sent_to(chat_id: int, calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in SENDS and str(c.params.get("chat_id")) == str(chat_id)]


def answered(sent: list[Call]) -> bool:
    """An answer is complete when its last message has come: the one with the buttons (a way on, a
    person, home; or a question's choices), which ride on the last message of every answer."""
    return bool(sent) and bool(buttons(sent[-1]))


def says(words: str) -> Callable[[list[Call]], bool]:
    """Until an answer that says `words` is complete."""
    return lambda sent: words in texts(sent) and answered(sent)


def texts(calls: list[Call]) -> str:
    return "\n".join(c.params["text"] for c in calls if c.method == "sendMessage")


def buttons(call: Call) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


@pytest.fixture(scope="module")
def telegram(assistant: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrontEnd]:
    front = FrontEnd(
        assistant,
        tmp_path_factory.mktemp("telegram"),
        TELEGRAM_MESSAGES_PER_MINUTE="12",
        TELEGRAM_COORDINATOR_CHAT_ID=str(COORDINATORS_GROUP),
    )
    yield front
    log = front.stop()
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "Application started" in log
    assert [(c.method, c.refused) for c in front.api.calls if c.refused] == [], "Telegram would have refused these"


def test_it_runs_on_a_current_python_and_aiohttp(telegram: FrontEnd) -> None:
    """The front end runs in .venv-web, not on Rasa's Python 3.10 with aiohttp 3.9; it says so at start."""
    log = telegram.log.read_text(encoding="utf-8")
    found = re.search(r"Telegram front end: Python (\d+)\.(\d+)\.\d+, aiohttp (\d+)\.(\d+)\.", log)
    assert found, log
    python, aiohttp = tuple(map(int, found.groups()[:2])), tuple(map(int, found.groups()[2:]))
    assert python >= (3, 12) and aiohttp >= (3, 13), found.group(0)


def test_commands_are_listed_in_every_language(telegram: FrontEnd) -> None:
    listed = {
        c.params.get("language_code"): c.params["commands"] for c in telegram.api.calls if c.method == "setMyCommands"
    }
    assert {"sv", "ar", "ti", "so", None} <= set(listed)
    names = [command["command"] for command in listed["ar"]]
    assert names == ["start", "meny", "sprak", "hjalp", "koordinator", "radera"]
    assert "اللغة" in " ".join(command["description"] for command in listed["ar"])


def test_an_unknown_command_gets_help_and_the_menu_in_swedish_and_the_language_choice(
    telegram: FrontEnd, assistant: Assistant
) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "/hjelp", language_code="ar")
    shown = telegram.replies(chat, since, until=says("Vad vill du veta mer om?"))
    help_text, menu = [c for c in shown if c.method == "sendMessage"]
    assert "Det kommandot känner jag inte till" in help_text.params["text"]
    assert "/hjalp – Om Hälsolotsen och hjälp" in help_text.params["text"].splitlines()
    assert "/koordinator – Prata med en koordinator" in help_text.params["text"].splitlines()
    assert {ARABIC_NAME, "ትግርኛ", "Soomaali", "Svenska"} == {b["text"] for b in buttons(help_text)}
    menu_buttons = [b["callback_data"] for call in shown[shown.index(menu) :] for b in buttons(call)]
    assert "/handoff" in menu_buttons and "/change_language" in menu_buttons
    assert any(data.startswith("/show") for data in menu_buttons), "the menu's topics"
    stored = httpx.get(
        f"{assistant.url}/webhooks/rest/conversations/{conversation_id_in(assistant, chat)}",
        headers={"Authorization": f"Bearer {keys.shared_secret(keys.CHANNEL_TOKEN, assistant.var_dir / 'keys')}"},
    ).json()
    assert stored["stored"] is False, "a command we don't have is not sent to Rasa"


def stored_language(assistant: Assistant, chat: int) -> str | None:
    token = keys.shared_secret(keys.CHANNEL_TOKEN, assistant.var_dir / "keys")
    return httpx.get(
        f"{assistant.url}/webhooks/rest/conversations/{conversation_id_in(assistant, chat)}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()["language"]


@pytest.mark.parametrize(("payload", "phone", "expected"), [("ti", "sv", "ti"), ("SO", "ar", "so")])
def test_start_with_a_link_payload_welcomes_in_that_language(
    telegram: FrontEnd, assistant: Assistant, payload: str, phone: str, expected: str
) -> None:
    """A poster's link t.me/<bot>?start=ti arrives as "/start ti": the welcome is in that language,
    whatever the phone's language, and the conversation keeps it."""
    chat = next(chat_ids)
    welcome = load(assistant.content_dir).ui_text("start", expected)
    shown = telegram.replies(chat, telegram.say(chat, f"/start {payload}", language_code=phone))
    assert texts(shown).startswith(welcome), texts(shown)
    assert stored_language(assistant, chat) == expected


def test_start_with_an_unknown_payload_falls_back_to_the_phones_language(
    telegram: FrontEnd, assistant: Assistant
) -> None:
    chat = next(chat_ids)
    shown = telegram.replies(chat, telegram.say(chat, '/start xx"}<b>', language_code="ar"))
    assert texts(shown).startswith(load(assistant.content_dir).ui_text("start", "ar"))
    assert stored_language(assistant, chat) == "ar"


def test_help_settings_and_privacy_do_what_hjalp_sprak_and_radera_do(telegram: FrontEnd, assistant: Assistant) -> None:
    """Telegram's own command names, which its apps send from the bot's profile menu."""
    content = load(assistant.content_dir)
    chat = next(chat_ids)
    unknown = content.ui_text("unknown_command", "sv").split(".")[0]
    about = content.localized("om_halsolotsen", "sv").text.split(".")[0]
    for command in ("/hjalp", "/help", "/HELP@halsolotsen_test_bot"):
        shown = texts(telegram.replies(chat, telegram.say(chat, command)))
        assert about in shown and unknown not in shown, command
    language_title = content.ui_text("language_title", "sv")
    for command in ("/sprak", "/settings"):
        shown = telegram.replies(chat, telegram.say(chat, command))
        assert texts(shown).startswith(language_title), command
        assert {ARABIC_NAME, "ትግርኛ", "Soomaali", "Svenska"} <= {b["text"] for b in buttons(shown[-1])}, command
    for command in ("/radera", "/privacy"):
        shown = telegram.replies(chat, telegram.say(chat, command))
        assert "Hälsolotsen sparar samtalet" in texts(shown) and unknown not in texts(shown), command
        assert [b["callback_data"] for b in buttons(shown[-1])] == ["radera:ja", "radera:nej"], command


def test_an_unknown_command_is_answered_in_the_conversations_language(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    telegram.replies(chat, telegram.tap(chat, '/change_language{"language":"ar"}'))
    since = telegram.say(chat, "/foo bar")
    shown = telegram.replies(chat, since, until=says("عن ماذا تريد أن تعرف أكثر؟"))
    help_text = next(c for c in shown if c.method == "sendMessage")
    assert help_text.params["text"].startswith("لا أعرف هذا الأمر")
    assert "\u2066/meny\u2069 – القائمة" in help_text.params["text"], "the command isolated left-to-right"
    assert not buttons(help_text), "the language is known: no language choice"
    assert [b["text"] for b in buttons(shown[-1])][-1] == "اللغة"


def test_the_fake_refuses_what_telegram_refuses_with_400() -> None:
    api = FakeBotApi(TOKEN).start()

    def call(method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        answer = httpx.post(f"{api.base_url}{TOKEN}/{method}", json={"chat_id": 7, **params})
        return answer.status_code, answer.json()

    def refused(description: str) -> tuple[int, dict[str, Any]]:
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}

    def keyboard(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "Meny", "callback_data": data}]]}

    assert call("sendMessage", text="a" * 4096)[0] == 200
    assert call("sendMessage", text="a" * 4097) == refused("message is too long")
    assert call("sendMessage", text="ሀ" * 4096)[0] == 200, "characters, not bytes"
    assert call("sendMessage", text="ሀ" * 4097) == refused("message is too long")
    assert call("sendMessage", text="") == refused("message text is empty")
    assert call("sendMessage", text="  \n") == refused("message text is empty")
    assert call("sendMessage") == refused("message text is empty")
    assert call("sendVoice", voice="voice-1", caption="a" * 1024)[0] == 200
    assert call("sendVoice", voice="voice-1", caption="a" * 1025) == refused("message caption is too long")
    assert call("sendMessage", text="hej", reply_markup=keyboard("a" * 64))[0] == 200
    assert call("sendMessage", text="hej", reply_markup=keyboard("a" * 65)) == refused("BUTTON_DATA_INVALID")
    assert call("sendMessage", text="hej", reply_markup=keyboard("ع" * 33)) == refused("BUTTON_DATA_INVALID")
    assert call("sendMessage", text="hej", reply_markup=keyboard("")) == refused("BUTTON_DATA_INVALID")
    assert call("sendVoice", voice="voice-1", reply_markup=keyboard("a" * 65)) == refused("BUTTON_DATA_INVALID")
    assert call("editMessageReplyMarkup", message_id=1, reply_markup=keyboard("a" * 65)) == refused(
        "BUTTON_DATA_INVALID"
    )
    assert sum(c.refused is not None for c in api.calls) == 11, "each refusal is marked on its call"


def test_the_longest_real_answers_and_button_data_pass_telegrams_limits(
    telegram: FrontEnd, assistant: Assistant
) -> None:
    content = load(assistant.content_dir)
    shown = {  # as actions/answers.py shows them: with the 👍/👎 row, whose payloads are the widest
        (node, lang): replies.show(content, node, lang, rate=node != "out_of_scope")
        for node in [*content.items, *content.section_items]
        for lang in content.languages()
    }
    longest = max(shown, key=lambda key: max(len(m["text"]) for m in shown[key]))
    widest = max(shown, key=lambda key: max(len(b["payload"].encode()) for m in shown[key] for b in m["buttons"]))
    for node, lang in (longest, widest):
        chat = next(chat_ids)
        expected = shown[node, lang]
        got = telegram.replies(chat, telegram.tap(chat, replies.show_payload(node, language=lang)))
        assert [c.params["text"] for c in got if c.method == "sendMessage"] == [m["text"] for m in expected]
        sent_data = {b["callback_data"] for c in got for b in buttons(c)}
        assert {b["payload"] for m in expected for b in m["buttons"]} == sent_data, "no button was left out"
        assert all(c.refused is None for c in got)


def test_start_pick_arabic_ask_and_get_arabic_text_voice_and_buttons(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "/start")
    shown = telegram.replies(chat, since)
    assert "Hälsolotsen" in texts(shown)
    welcome = shown[-1]
    titles = [b["text"] for b in buttons(welcome)]
    assert {ARABIC_NAME, "ትግርኛ", "Soomaali", "Svenska"} <= set(titles)

    arabic = next(b for b in buttons(welcome) if b["text"] == ARABIC_NAME)
    since = telegram.tap(chat, arabic["callback_data"])
    telegram.api.wait_for(lambda calls: [c for c in calls[since:] if c.method == "answerCallbackQuery"])
    menu = telegram.replies(chat, since)
    assert all("ا" in c.params["text"] for c in menu if c.method == "sendMessage")
    assert [c.method for c in menu] == ["sendMessage", "sendVoice"] * 2, "text, then its voice, for each message"

    since = telegram.say(chat, "من يدفع راتب الوالدين عندما أبقى في البيت مع طفلي؟")
    text, voice = telegram.replies(chat, since)
    assert text.method == "sendMessage" and "Försäkringskassan" in text.params["text"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in text.params["text"])
    assert not buttons(text), "the buttons come last, with the voice message"
    assert voice.method == "sendVoice" and voice.upload[:4] == b"OggS"
    follow_ups = buttons(voice)
    assert any(b["callback_data"] == "/handoff" for b in follow_ups)

    first_topic = follow_ups[0]
    since = telegram.tap(chat, first_topic["callback_data"])
    assert texts(telegram.replies(chat, since)).strip()


def test_thumbs_up_and_down_share_the_last_row_under_an_answer_and_a_tap_is_thanked(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "vad är en vårdcentral")
    last = telegram.replies(chat, since)[-1]
    rows = last.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in rows[-1]] == ["👍", "👎"]
    assert all(len(row) == 1 for row in rows[:-1])
    thanks = load(PROJECT_ROOT / "content").ui_text(ui_text.RATING_THANKS, "sv")
    since = telegram.tap(chat, rows[-1][1]["callback_data"])
    assert thanks in texts(telegram.replies(chat, since, says(thanks)))


def test_a_voice_file_is_uploaded_once_then_sent_by_file_id(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "hej")
    [first] = [c for c in telegram.replies(chat, since) if c.method == "sendVoice"]
    since = telegram.say(chat, "hej")
    [again] = [c for c in telegram.replies(chat, since) if c.method == "sendVoice"]
    assert first.upload is not None
    assert again.upload is None and str(again.params["voice"]).startswith("voice-")


def test_radera_shows_what_is_stored_and_deletes_it_after_confirmation(
    telegram: FrontEnd, assistant: Assistant
) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "vad är 1177")
    telegram.replies(chat, since)
    since = telegram.say(chat, "/radera")
    shown = telegram.replies(chat, since)
    assert "Meddelanden från dig: 1." in texts(shown)
    choice = next(c for c in shown if buttons(c))
    assert [b["callback_data"] for b in buttons(choice)] == ["radera:ja", "radera:nej"]

    since = telegram.tap(chat, "radera:ja")
    done = telegram.replies(chat, since)
    assert "Samtalet och dina svar till koordinatorn är raderade." in texts(done)
    token = keys.shared_secret(keys.CHANNEL_TOKEN, assistant.var_dir / "keys")
    stored = httpx.get(
        f"{assistant.url}/webhooks/rest/conversations/{conversation_id_in(assistant, chat)}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    nothing = {"stored": False, "messages": 0, "first": None, "last": None, "language": None, "handoff_requests": 0}
    assert stored == nothing

    since = telegram.say(chat, "/radera")
    assert "sparar inget" in texts(telegram.replies(chat, since))


def conversation_id_in(assistant: Assistant, chat_id: int) -> str:
    return conversation_id(chat_id, keys.shared_secret(keys.SENDER_KEY, assistant.var_dir / "keys"))


def _tap_title(telegram: FrontEnd, chat: int, shown: list[Call], title: str) -> list[Call]:
    data = next(b["callback_data"] for call in shown for b in buttons(call) if b["text"] == title)
    return telegram.replies(chat, telegram.tap(chat, data))


def test_a_participant_books_a_health_talk_over_telegram(
    telegram: FrontEnd, assistant: Assistant, coordinators: dict[str, str]
) -> None:
    chat = next(chat_ids)
    consent = telegram.replies(chat, telegram.say(chat, "/koordinator"))
    assert "Får jag spara dina svar?" in texts(consent)
    _tap_title(telegram, chat, consent, "Ja")
    interpreter = telegram.replies(chat, telegram.say(chat, "Amal"))
    where = _tap_title(telegram, chat, interpreter, "Nej")
    when = _tap_title(telegram, chat, where, MALMO)
    how = _tap_title(telegram, chat, when, "Eftermiddag")
    note = _tap_title(telegram, chat, how, "Här i chatten")
    summary = _tap_title(telegram, chat, note, "Nej tack")
    sent = texts(_tap_title(telegram, chat, summary, "Ja"))
    reference = sent.split("nummer ")[1].split(".")[0]

    group = telegram.api.wait_for(
        lambda calls: [
            c
            for c in calls
            if str(c.params.get("chat_id")) == str(COORDINATORS_GROUP)
            and "Ny förfrågan på svenska i " + MALMO in c.params.get("text", "")
        ]
    )
    assert "Amal" not in group[-1].params["text"] and reference not in group[-1].params["text"]

    coordinator = Coordinator(assistant, coordinators[MALMO])
    request_id = coordinator.request_id(reference)
    coordinator.post(f"/requests/{request_id}/claim", {})
    since = len(telegram.api.calls)
    coordinator.post(f"/requests/{request_id}/messages", {"text": "Hej Amal, det är Sara här."})
    assert "Hej Amal, det är Sara här." in texts(telegram.replies(chat, since))
    before = telegram.say(chat, "Hej Sara!")
    deadline = time.monotonic() + 60
    while ("participant", "Hej Sara!") not in [
        (m["author"], m["text"]) for m in coordinator.get(f"/requests/{request_id}").json()["messages"]
    ]:
        assert time.monotonic() < deadline, "the participant's message never reached the coordinator"
        time.sleep(0.5)
    # A person has the conversation: the bot is quiet. Shown by a later message the bot must answer
    # (an emergency, answered whoever has the conversation): the chat is answered one message at a
    # time, in order, so an answer to "Hej Sara!" would come before the emergency's.
    telegram.say(chat, "min man andas inte")
    bot_said = telegram.replies(chat, before, until=says("112"))
    assert [c.method for c in bot_said] == ["sendMessage", "sendVoice"], "only the emergency is answered"

    since = len(telegram.api.calls)
    coordinator.post(f"/requests/{request_id}/proposals", {"times": ["2031-03-04T10:00"]})
    proposed = telegram.replies(chat, since)
    times = [b for call in proposed for b in buttons(call) if "10:00" in b["text"]]
    booked = telegram.replies(chat, telegram.tap(chat, times[0]["callback_data"]))
    assert "Ditt hälsosamtal är bokat" in texts(booked)
    assert coordinator.get(f"/requests/{request_id}").json()["status"] == "booked"


def test_the_conversation_data_routes_need_the_channel_token(assistant: Assistant) -> None:
    url = f"{assistant.url}/webhooks/rest/conversations/tg-anyone"
    assert httpx.get(url).status_code == 401
    assert httpx.delete(url, headers={"Authorization": "Bearer guess"}).status_code == 401


def test_a_sticker_gets_a_kind_reply_in_the_participants_language(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "/sprak")
    telegram.replies(chat, since)
    since = telegram.tap(chat, '/change_language{"language":"so"}')
    telegram.replies(chat, since)
    since = len(telegram.api.calls)
    telegram.api.push(sticker_update(chat))
    [reply] = telegram.replies(chat, since)
    assert "qoraal" in reply.params["text"]
    assert {"/menu", "/handoff"} <= {b["callback_data"] for b in buttons(reply)}


def test_html_and_huge_messages_get_plain_polite_answers(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    since = telegram.say(chat, "<img src=x onerror=alert(1)> hej")
    assert all("parse_mode" not in c.params for c in telegram.replies(chat, since))
    since = telegram.say(chat, "ord " * 1500)
    assert "för långt" in texts(telegram.replies(chat, since))


def test_a_429_from_telegram_is_waited_out_and_retried(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    telegram.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    since = telegram.say(chat, "vad gör Skatteverket")
    attempts = [c for c in telegram.replies(chat, since) if c.method == "sendMessage"]
    assert len(attempts) == 2
    assert attempts[0].params["text"] == attempts[1].params["text"]
    assert "Skatteverket" in attempts[1].params["text"]


def test_a_participant_who_floods_is_asked_to_slow_down_once(telegram: FrontEnd) -> None:
    chat = next(chat_ids)
    since = len(telegram.api.calls)
    for _ in range(14):
        telegram.api.push(text_update(chat, "tack"))
    # 12 a minute are answered, the 13th is asked to slow down, the 14th is ignored.
    telegram.replies(chat, since, until=lambda sent: texts(sent).count("Varsågod") >= 12 and "snabbare" in texts(sent))
    # That nothing more comes is shown by a later question: the chat is answered one message at a time,
    # in order, so its answer comes after any other. The limit frees a place every 5 s (12 a minute);
    # until then a message is ignored, so ask again until one is answered.
    for _ in range(12):
        asked = telegram.say(chat, "vad gör Skatteverket")
        with contextlib.suppress(AssertionError):
            telegram.replies(chat, asked, until=says("Skatteverket"), timeout=6)
            break
    all_said = texts(telegram.replies(chat, since, until=says("Skatteverket")))
    assert all_said.count("snabbare") == 1
    assert all_said.count("Varsågod") == 12


def test_when_rasa_is_down_the_participant_is_told_and_answered_once_it_is_back(
    assistant: Assistant, tmp_path: Path
) -> None:
    port = free_port()
    front = FrontEnd(assistant, tmp_path, HALSOLOTSEN_RASA_URL=f"http://127.0.0.1:{port}")
    try:
        chat = next(chat_ids)
        since = front.say(chat, "vad gör Migrationsverket")
        assert "så snart jag kan" in texts(front.replies(chat, since))
        since = len(front.api.calls)
        with rasa_back_on(port, assistant.url):
            assert "Migrationsverket" in texts(front.replies(chat, since))
    finally:
        front.stop()


def test_webhook_mode_takes_updates_only_with_the_secret(assistant: Assistant, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    front = FrontEnd(
        assistant,
        tmp_path,
        TELEGRAM_WEBHOOK_URL=url,
        TELEGRAM_WEBHOOK_PORT=str(port),
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
    )
    try:
        [hook] = front.api.wait_for(lambda calls: [c for c in calls if c.method == "setWebhook"])
        assert hook.params["url"] == url
        secret = hook.params["secret_token"]
        chat = next(chat_ids)
        update = {"update_id": 1, **text_update(chat, "vad gör Arbetsförmedlingen")}
        assert httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}).status_code == 403
        since = len(front.api.calls)
        assert httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}).status_code == 200
        assert "Arbetsförmedlingen" in texts(front.replies(chat, since))
        assert not [c for c in front.api.calls if c.method == "getUpdates"]
    finally:
        front.stop()


@contextlib.contextmanager
def rasa_back_on(port: int, target: str) -> Iterator[None]:
    """A tiny HTTP forwarder on `port` to the real Rasa: "Rasa is back" on the address the front end uses."""
    process = subprocess.Popen([sys.executable, "-m", "tests.forwarder", str(port), target], cwd=PROJECT_ROOT)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
