"""A fake Telegram Bot API server on loopback: the real HTTP methods the front end uses.

python-telegram-bot talks to it through `base_url` exactly as to api.telegram.org: long-polled
getUpdates, sendMessage, sendVoice with a real file upload, answerCallbackQuery, setMyCommands,
setWebhook… Tests push updates as a participant's phone would and read back every call. It can
also answer the next call of a method with an error (e.g. 429 Too Many Requests).

Like Telegram, it refuses what Telegram refuses, with 400 Bad Request and Telegram's own words: a
message text that is empty or over 4,096 characters, a caption over 1,024, a button's callback
data outside 1–64 bytes (https://core.telegram.org/bots/api). Lengths are counted in UTF-16 code
units, as Telegram counts them (the stricter reading where a character is outside the BMP).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Hälsolotsen", "username": "halsolotsen_test_bot"}


MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    upload: bytes | None = None  # a file sent with the request (multipart)
    refused: str | None = None  # Telegram's description, if this fake refused it as Telegram would


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def refusal(method: str, params: dict[str, Any]) -> str | None:
    """Why Telegram would answer this call with 400 Bad Request, in its words; None if it would not."""
    if method in ("sendMessage", "editMessageText"):
        text = "" if params.get("text") is None else str(params["text"])
        if not text.strip():
            return "Bad Request: message text is empty"
        if _length(text) > MAX_TEXT:
            return "Bad Request: message is too long"
    if params.get("caption") is not None and _length(str(params["caption"])) > MAX_CAPTION:
        return "Bad Request: message caption is too long"
    markup = params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


@dataclass
class FakeBotApi:
    token: str
    calls: list[Call] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _loop: asyncio.AbstractEventLoop | None = None
    _new_update: asyncio.Event | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what a test does -------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)
        return self

    def push(self, update: dict[str, Any]) -> None:
        def add() -> None:
            self._updates.append({"update_id": next(self._ids), **update})
            self._new_update.set()

        self._loop.call_soon_threadsafe(add)

    def fail_next(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """The next call of `method` gets this error, as Telegram would send it."""
        self._failures.setdefault(method, []).append((status, {"description": description, "parameters": parameters}))

    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = predicate(list(self.calls))
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"Timed out; calls so far: {[c.method for c in self.calls][-20:]}")

    # --- the server -------------------------------------------------------------------------

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, upload = await _params(request)
        refused = refusal(method, params)
        self.calls.append(Call(method, params, upload, refused))
        if refused:
            return web.json_response({"ok": False, "error_code": 400, "description": refused}, status=400)
        failures = self._failures.get(method)
        if failures:
            status, body = failures.pop(0)
            return web.json_response({"ok": False, "error_code": status, **body}, status=status)
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        return _ok(self._result(method, params, upload))

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=float(params.get("timeout") or 0))
            except asyncio.TimeoutError:
                pass
        return list(self._updates)

    def _result(self, method: str, params: dict[str, Any], upload: bytes | None) -> Any:
        if method == "getMe":
            return {
                **BOT_USER,
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in ("sendMessage", "sendVoice", "editMessageReplyMarkup"):
            message = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
            }
            if "text" in params:
                message["text"] = params["text"]
            if method == "sendVoice":
                file_id = params["voice"] if upload is None else f"voice-{next(self._ids)}"
                message["voice"] = {"file_id": file_id, "file_unique_id": file_id, "duration": 2}
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        return True


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


async def _params(request: web.Request) -> tuple[dict[str, Any], bytes | None]:
    """Parameters as python-telegram-bot sends them: JSON, a form, or multipart with a file."""
    if request.content_type == "application/json":
        return await request.json(), None
    params: dict[str, Any] = {}
    upload = None
    for name, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            upload = value.file.read()
            continue
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params, upload


# --- updates, as a participant's phone would cause them -----------------------------------------


def _user(chat_id: int, language_code: str) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Deltagare", "language_code": language_code}


def _message(chat_id: int, language_code: str, **content: Any) -> dict[str, Any]:
    return {
        "message": {
            "message_id": chat_id * 1000 + int(time.time() * 1000) % 1000,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Deltagare"},
            "from": _user(chat_id, language_code),
            **content,
        }
    }


def text_update(chat_id: int, text: str, language_code: str = "sv") -> dict[str, Any]:
    update = _message(chat_id, language_code, text=text)
    if text.startswith("/"):
        command = text.split()[0]
        update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return update


def sticker_update(chat_id: int, language_code: str = "sv") -> dict[str, Any]:
    sticker = {
        "file_id": "sticker-1",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    return _message(chat_id, language_code, sticker=sticker)


def tap_update(chat_id: int, data: str, message_id: int, language_code: str = "sv") -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"tap-{time.monotonic_ns()}",
            "from": _user(chat_id, language_code),
            "chat_instance": str(chat_id),
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": "…",
            },
        }
    }
