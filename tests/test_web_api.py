"""The web server's API on its own: content for side by side and lessons, and the chat proxy's
answers when Rasa is fine, failing or gone. Real aiohttp servers on loopback; Rasa is a stand-in
here (the browser tests use the real one)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.assistant_client import WEBHOOK
from bot.audio import library
from bot.content import replies, ui_text
from bot.content.store import load
from bot.settings import CONTENT_DIR
from bot.web.app import create_app
from bot.web.chat import MAX_BODY_BYTES, SENDER_PREFIX
from bot.web.content_api import WIDGET_TEXTS
from tests.assistant import free_port

SENDER = "0123456789abcdef0123456789abcdef"
PUBLIC = "http://widget.test"


def run(test: Callable[[TestClient], Awaitable[None]], tmp_path: Path, rasa_url: str) -> None:
    """Runs `test` against the web server made by create_app, on a free loopback port."""

    async def main() -> None:
        app = create_app(tmp_path / "audio", CONTENT_DIR, rasa_url, PUBLIC)
        async with TestClient(TestServer(app)) as client:
            await test(client)

    asyncio.run(main())


def with_fake_rasa(
    answer: Callable[[dict[str, Any]], web.Response], test: Callable[[TestClient, list], Awaitable[None]], tmp: Path
) -> None:
    """Runs `test` with a stand-in Rasa REST channel that records what it received."""
    received: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return answer(received[-1])

    async def main() -> None:
        rasa = web.Application()
        rasa.router.add_post(WEBHOOK, webhook)
        async with TestServer(rasa) as rasa_server:
            app = create_app(tmp / "audio", CONTENT_DIR, str(rasa_server.make_url("")), PUBLIC)
            async with TestClient(TestServer(app)) as client:
                await test(client, received)

    asyncio.run(main())


def nobody_listens() -> str:
    return f"http://127.0.0.1:{free_port()}"


def test_an_unknown_item_or_language_is_a_json_error(tmp_path: Path) -> None:
    async def test(client: TestClient) -> None:
        missing = await client.get("/api/show/finns_inte")
        assert missing.status == 404
        assert (await missing.json())["error"] == "unknown_item"
        wrong_language = await client.get("/api/show/somn", params={"lang": "xx"})
        assert wrong_language.status == 400
        assert (await wrong_language.json())["error"] == "unknown_language"

    run(test, tmp_path, nobody_listens())


def test_show_gives_the_chats_messages_with_the_same_audio_urls(tmp_path: Path) -> None:
    content = load(CONTENT_DIR)
    expected = replies.show(content, "foraldrapenning", "ar")
    (tmp_path / "audio").mkdir()
    manifest = {library.text_key("ar", expected[-1]["text"]): {"file": "abc123", "source": "test", "id": "x"}}
    (tmp_path / "audio" / library.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    async def test(client: TestClient) -> None:
        response = await client.get("/api/show/foraldrapenning", params={"lang": "ar"})
        assert response.status == 200
        (message,) = await response.json()
        assert (message["text"], message["buttons"]) == (expected[-1]["text"], expected[-1]["buttons"])
        assert message["custom"] == {
            **expected[-1]["custom"],
            "audio": f"{PUBLIC}/audio/abc123.mp3",
            "voice": f"{PUBLIC}/audio/abc123.ogg",
        }
        assert (message["custom"]["lang"], message["custom"]["dir"]) == ("ar", "rtl")
        swedish = await (await client.get("/api/show/foraldrapenning", params={"lang": "sv"})).json()
        assert swedish[-1]["text"].startswith("Föräldrapenning")
        assert "audio" not in swedish[-1]["custom"]

    run(test, tmp_path, nobody_listens())


def test_lessons_list_every_lesson_with_its_parts_in_order(tmp_path: Path) -> None:
    content = load(CONTENT_DIR)

    async def test(client: TestClient) -> None:
        body = await (await client.get("/api/lessons", params={"lang": "ar"})).json()
        assert [section["id"] for section in body["sections"]] == ["halsoskola", "socialforsakring"]
        halsoskola = body["sections"][0]
        assert [lesson["id"] for lesson in halsoskola["lessons"]] == content.section_items["halsoskola"]
        varden = halsoskola["lessons"][0]
        assert [step["id"] for step in varden["steps"]] == ["varden", *(p.id for p in content.items["varden"].parts)]
        assert varden["title"] == content.localized("varden", "ar").title
        assert len(varden["steps"]) > 3

    run(test, tmp_path, nobody_listens())


def test_interface_texts_for_the_page_and_languages_in_their_own_names(tmp_path: Path) -> None:
    async def test(client: TestClient) -> None:
        body = await (await client.get("/api/ui", params={"lang": "ar"})).json()
        assert (body["lang"], body["dir"]) == ("ar", "rtl")
        assert set(body["strings"]) == set(WIDGET_TEXTS)
        assert body["strings"][ui_text.WEB_NEW_SESSION] == "جلسة جديدة"
        names = [(language["code"], language["name"]) for language in body["languages"]]
        assert names == [("sv", "Svenska"), ("ar", "العربية"), ("ti", "ትግርኛ"), ("so", "Soomaali")]
        swedish = await (await client.get("/api/ui")).json()
        assert swedish["strings"][ui_text.WEB_NEW_SESSION] == "Ny session"

    run(test, tmp_path, nobody_listens())


def test_the_page_may_be_embedded_sets_no_cookie_and_runs_only_its_own_scripts(tmp_path: Path) -> None:
    async def test(client: TestClient) -> None:
        response = await client.get("/")
        assert response.status == 200
        assert "text/html" in response.headers["Content-Type"]
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert f"media-src 'self' {PUBLIC};" in policy
        assert "frame-ancestors" not in policy
        assert "X-Frame-Options" not in response.headers
        assert "Set-Cookie" not in response.headers
        assert '<script type="module" src="static/widget/widget.js">' in await response.text()
        script = await client.get("/static/widget/widget.js")
        assert script.status == 200
        assert "javascript" in script.headers["Content-Type"]

    run(test, tmp_path, nobody_listens())


def test_a_coordinator_page_fetched_as_a_static_file_is_as_guarded_as_the_page(tmp_path: Path) -> None:
    """/static/ serves every page's folder, its HTML too: that copy may not be framed either (a
    login form in another site's frame), and scripts are checked again on every load."""

    async def test(client: TestClient) -> None:
        copy = await client.get("/static/coordinator/index.html")
        assert copy.status == 200
        assert "frame-ancestors 'none'" in copy.headers["Content-Security-Policy"]
        assert copy.headers["X-Frame-Options"] == "DENY"
        shared = await client.get("/static/shared/common.js")
        assert shared.status == 200
        assert "javascript" in shared.headers["Content-Type"]
        assert shared.headers["Cache-Control"] == "no-cache"

    run(test, tmp_path, nobody_listens())


@pytest.mark.parametrize(
    ("typed", "canonical", "title"),
    [
        ("/koordinator", "/koordinator/", "<h1>Hälsolotsen – koordinator</h1>"),
        ("/koordinator/insikter/", "/koordinator/insikter", "<h1>Hälsolotsen – insikter</h1>"),
        ("/koordinator/inspelning/", "/koordinator/inspelning", "<h1>Hälsolotsen: granska och spela in</h1>"),
        ("/koordinator?x=1", "/koordinator/?x=1", "<h1>Hälsolotsen – koordinator</h1>"),
    ],
)
def test_a_page_typed_with_or_without_its_last_slash_is_redirected_to_its_address(
    tmp_path: Path, typed: str, canonical: str, title: str
) -> None:
    """People type /koordinator; the recording page's relative links work only at its own address."""

    async def test(client: TestClient) -> None:
        moved = await client.get(typed, allow_redirects=False)
        assert moved.status in (301, 308)
        assert moved.headers["Location"] == canonical
        page = await client.get(typed)
        assert page.status == 200
        assert str(page.url).endswith(canonical)
        assert title in await page.text()

    run(test, tmp_path, nobody_listens())


def test_an_unknown_address_is_still_a_404_not_a_redirect_elsewhere(tmp_path: Path) -> None:
    async def test(client: TestClient) -> None:
        root = str(client.make_url("")).rstrip("/")  # the test client refuses "//host" paths itself
        for path in ("/koordinatorn", "//example.com/", "//example.com", "/koordinator/finns-inte/"):
            answer = await client.session.get(root + path, allow_redirects=False)
            assert (answer.status, answer.headers.get("Location")) == (404, None), path
        doubled = await client.get("///koordinator", allow_redirects=False)
        assert doubled.headers["Location"] == "/koordinator/"

    run(test, tmp_path, nobody_listens())


def test_rasa_unreachable_is_a_clear_json_error_not_a_traceback(tmp_path: Path) -> None:
    async def test(client: TestClient) -> None:
        response = await client.post("/api/chat", json={"sender": SENDER, "message": "hej"})
        assert response.status == 503
        assert response.headers["Content-Type"].startswith("application/json")
        assert (await response.json())["error"] == "rasa_unreachable"

    run(test, tmp_path, nobody_listens())


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_is_refused_with_413(tmp_path: Path, chunked: bool) -> None:
    body = json.dumps({"sender": SENDER, "message": "x" * MAX_BODY_BYTES}).encode()

    async def chunks():
        for start in range(0, len(body), 1024):
            yield body[start : start + 1024]

    async def test(client: TestClient, received: list) -> None:
        data = chunks() if chunked else body
        response = await client.post("/api/chat", data=data, headers={"Content-Type": "application/json"})
        assert response.status == 413
        assert (await response.json())["error"] == "too_large"
        assert received == []

    with_fake_rasa(lambda _: web.json_response([]), test, tmp_path)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"message": "hej"}).encode(),
        json.dumps({"sender": "short", "message": "hej"}).encode(),
        json.dumps({"sender": "tg:12345678901234567", "message": "hej"}).encode(),
        json.dumps({"sender": SENDER, "message": 5}).encode(),
    ],
)
def test_a_malformed_request_is_a_400_that_says_what_to_send(tmp_path: Path, body: bytes) -> None:
    async def test(client: TestClient, received: list) -> None:
        response = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
        assert response.status == 400
        assert "sender" in (await response.json())["message"]
        assert received == []

    with_fake_rasa(lambda _: web.json_response([]), test, tmp_path)


def test_the_chat_reaches_rasa_as_a_web_conversation_and_passes_the_answer_back(tmp_path: Path) -> None:
    answer = [{"recipient_id": "x", "text": "Hej!", "buttons": [], "custom": {"lang": "sv", "dir": "ltr"}}]

    async def test(client: TestClient, received: list) -> None:
        response = await client.post("/api/chat", json={"sender": SENDER, "message": "hej"})
        assert response.status == 200
        assert await response.json() == answer
        assert response.headers["Cache-Control"] == "no-store"
        assert received == [{"sender": SENDER_PREFIX + SENDER, "message": "hej"}]

    with_fake_rasa(lambda _: web.json_response(answer), test, tmp_path)


def test_a_failing_rasa_is_a_502(tmp_path: Path) -> None:
    async def test(client: TestClient, _: list) -> None:
        response = await client.post("/api/chat", json={"sender": SENDER, "message": "hej"})
        assert response.status == 502
        assert (await response.json())["error"] == "rasa_error"

    with_fake_rasa(lambda _: web.Response(status=500, text="boom"), test, tmp_path)
