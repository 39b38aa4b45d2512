"""Hostile input against Rasa's REST channel and the project's web server (issue 8, robustness).

Thousands of generated requests (tests/hostile.py: blank and 100 kB messages, emoji sequences,
control and bidi-override characters, lone surrogates, markup, hand-typed button payloads, broken
JSON, wrong content types and shapes, junk paths, headers and cookies) go to the real servers, a
batch at a time and several at once. After every batch: no answer was a server error, every JSON
answer is JSON, the three processes still run, and "hej" gets the main menu on both channels.

Hypothesis makes the input: `derandomize` sends the same requests on every run (CI is
reproducible), `database=None` keeps nothing between runs, and `deadline=None` because a batch
waits for a real assistant. Each request that once broke a server stays as an explicit `@example`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from dataclasses import replace

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.accounts import store as accounts
from bot.handoff import coordination, participants
from bot.web.app import STATIC_DIR
from bot.web.http import MAX_NAME_BYTES
from tests import hostile
from tests.assistant import WEBHOOK, Assistant, button_titles
from tests.barrage import Answer, RawRequest, problems, send

BATCH = 25
# bench/robustness.py sends SCALE times as many batches; the test suite sends the batches below.
SCALE = int(os.environ.get("HALSOLOTSEN_HOSTILE_SCALE", "1"))
MENU = "Hälsoskola"
LOGIN = "/koordinator/api/login"
COORDINATOR, PASSWORD = "fuzz-koordinator", "ett långt lösenord för test"
# Stand-ins for the logged-in coordinator's cookie and CSRF token, filled in when a batch is sent.
SESSION, CSRF = "<session>", "<csrf>"
HANDOFF_SENDER = "hostile-handoff"


def hostile_settings(batches: int) -> settings:
    return settings(
        max_examples=batches * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def batches(requests: st.SearchStrategy[RawRequest]) -> st.SearchStrategy[list[RawRequest]]:
    return st.lists(requests, min_size=BATCH, max_size=BATCH)


def chat(sender: str, message: str, ascii_only: bool = True, path: str = WEBHOOK) -> RawRequest:
    return RawRequest("POST", path, hostile.json_body({"sender": sender, "message": message}, ascii_only))


def assert_still_normal(assistant: Assistant) -> None:
    """The processes run and a new conversation's "hej" gets the main menu, on Rasa and via the widget."""
    stopped = [service.name for service in assistant.services if service.process.poll() is not None]
    assert not stopped, f"stopped: {stopped}"
    assert MENU in button_titles(assistant.say("hej"))
    widget = httpx.post(
        f"{assistant.web_url}/api/chat", json={"sender": f"hostile-{uuid.uuid4().hex}", "message": "hej"}, timeout=60
    )
    assert widget.status_code == 200
    assert MENU in button_titles(widget.json())


def sent(base_url: str, batch: list[RawRequest]) -> list[Answer]:
    """Sends the batch; fails with every request that got a server error or broken JSON."""
    answers = send(base_url, batch)
    found = problems(answers)
    assert not found, "\n".join(found)
    return answers


def assert_answered(answer: Answer) -> None:
    """A chat message gets at least one message a participant can read or hear."""
    assert answer.status == 200, answer.request.describe()
    messages = answer.json()
    assert isinstance(messages, list) and messages, f"no answer to {answer.request.describe()}"
    assert all(isinstance(m, dict) and (m.get("text") or m.get("custom")) for m in messages), answer.request.describe()


# A few conversations that go on across batches, so hostile input also lands mid-form and mid-lesson.
REST_SENDERS = st.sampled_from([f"hostile-rest-{n}" for n in range(6)])


@hostile_settings(batches=12)
@given(batches(hostile.chat_requests(WEBHOOK, REST_SENDERS, hostile.MESSAGES | hostile.HUGE)))
@example(
    [
        chat("hostile-rest-a", '/choose{"proposal":"²"}'),  # a digit to isdigit(), not to int()
        chat("hostile-rest-b", '/choose{"proposal":"99999999999999999999999999"}'),  # too big for SQLite
        chat("hostile-rest-c", '/show{"item": {"id": "somn"}}'),  # an entity that is no text
        chat("hostile-rest-d", '/choose{"choice": ["morning"]}'),
        chat("hostile-rest-e", "\ud83d hej \udc00"),  # halves of a surrogate pair
        chat("hostile-rest-f", "\ud83d hej \udc00", ascii_only=False),  # the same as bytes: not UTF-8
    ]
)
def test_hostile_messages_on_the_rest_channel_get_an_answer(assistant: Assistant, batch: list[RawRequest]) -> None:
    for answer in sent(assistant.url, batch):
        assert_answered(answer)
    assert_still_normal(assistant)


@hostile_settings(batches=8)
@given(
    batches(
        hostile.malformed_requests(WEBHOOK, "hostile-rest-raw")
        | hostile.chat_requests(WEBHOOK, hostile.ODD_SENDERS, st.sampled_from(["hej", "/menu", "ሰላም"]))
    )
)
@example([chat("\ud800", "hej"), chat("s" * 100_000, "hej"), RawRequest("POST", WEBHOOK, b"[" * 100_000)])
def test_malformed_requests_and_odd_senders_on_the_rest_channel(assistant: Assistant, batch: list[RawRequest]) -> None:
    for answer in sent(assistant.url, batch):
        if answer.status == 200 and answer.request.method == "POST":
            assert_answered(answer)
    assert_still_normal(assistant)


def _conversation_request(method: str, sender: str, token: str) -> RawRequest:
    return RawRequest(
        method, f"/webhooks/rest/conversations/{sender}", content_type=None, headers={"Authorization": token}
    )


@hostile_settings(batches=4)
@given(
    batches(
        st.builds(
            _conversation_request, st.sampled_from(["GET", "DELETE"]), hostile.JUNK_SEGMENTS, hostile.HEADER_VALUES
        )
    )
)
@example([_conversation_request("GET", "x", "Bearer åäö")])  # compare_digest refuses non-ASCII text
def test_stored_conversations_refuse_junk_tokens(assistant: Assistant, batch: list[RawRequest]) -> None:
    for answer in sent(assistant.url, batch):
        assert answer.status in (401, 404), answer.request.describe()
    assert_still_normal(assistant)


WEB_SENDERS = st.sampled_from([f"hostile-web-{n}-0123456789" for n in range(4)])


@hostile_settings(batches=6)
@given(batches(hostile.chat_requests("/api/chat", WEB_SENDERS)))
def test_hostile_messages_in_the_widget_get_an_answer(assistant: Assistant, batch: list[RawRequest]) -> None:
    for answer in sent(assistant.web_url, batch):
        if not _is_utf8(answer.request.body):  # halves of surrogate pairs as raw bytes: not JSON text
            assert answer.status == 400, answer.request.describe()
        elif answer.status != 413:  # a message of a thousand four-byte characters is over the body limit
            assert_answered(answer)
    assert_still_normal(assistant)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


WEB_SENDER = "hostile-web-raw-0123456789"
INBOX = "/api/chat/inbox"  # POST {"sender"}: the id stays out of addresses


@hostile_settings(batches=10)
@given(
    batches(
        hostile.malformed_requests("/api/chat", WEB_SENDER)
        | hostile.chat_requests("/api/chat", hostile.ODD_SENDERS)
        | hostile.malformed_requests(INBOX, WEB_SENDER)
        | hostile.chat_requests(INBOX, hostile.ODD_SENDERS)
    )
)
@example(
    [
        replace(chat(WEB_SENDER, "hej", path="/api/chat"), content_type="application/json; charset=nonsense"),
        RawRequest("POST", "/api/chat", b"[" * 4_000),  # deeper than the JSON parser's recursion limit
    ]
)
def test_malformed_widget_requests_are_refused(assistant: Assistant, batch: list[RawRequest]) -> None:
    for answer in sent(assistant.web_url, batch):
        assert answer.status in (200, 400, 405, 413), answer.request.describe()
    assert_still_normal(assistant)


def _served_files(assistant: Assistant) -> set[str]:
    folders = (assistant.var_dir / "audio", STATIC_DIR)
    files = (path for folder in folders for path in folder.rglob("*") if path.is_file())
    return {hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


@hostile_settings(batches=24)
@given(
    batches(
        hostile.junk_paths("/audio/")
        | hostile.junk_paths("/static/")
        | hostile.junk_paths("/static/widget/")
        | hostile.junk_paths("/api/show/")
        | hostile.junk_queries("/api/ui", "lang")
        | hostile.junk_queries("/api/lessons", "lang")
        | hostile.junk_queries("/api/chat/inbox", "sender")
    )
)
@example(
    [
        RawRequest("GET", prefix + "x" * 300, content_type=None)
        for prefix in ("/audio/", "/static/", "/static/coordinator/")
    ]
)
def test_junk_paths_and_queries_on_the_web_server(assistant: Assistant, batch: list[RawRequest]) -> None:
    """No 5xx, and nothing but the files the server means to serve: no path leaves its folder."""
    served = _served_files(assistant)
    for answer in sent(assistant.web_url, batch):
        if answer.status == 200 and answer.content_type != "application/json":
            assert hashlib.sha256(answer.body).hexdigest() in served, f"not a served file: {answer.request.describe()}"
    assert_still_normal(assistant)


def _login_requests() -> st.SearchStrategy[RawRequest]:
    fields = st.fixed_dictionaries(
        {},
        optional={
            "username": hostile.JSON_VALUES | hostile.ODD_SENDERS,
            "password": hostile.JSON_VALUES | hostile.ODD_SENDERS,
        },
    )
    as_json = st.builds(
        lambda value, ascii_only: RawRequest("POST", LOGIN, hostile.json_body(value, ascii_only)), fields, st.booleans()
    )
    return hostile.malformed_requests(LOGIN, "x") | as_json


@hostile_settings(batches=8)
@given(batches(_login_requests()))
@example(
    [
        RawRequest("POST", LOGIN, b'{"username": "\\ud800", "password": "a password"}'),  # Argon2 and SQLite
        RawRequest("POST", LOGIN, b'{"username": "someone", "password": "\\ud800"}'),  # cannot take these
        RawRequest("POST", LOGIN, b'{"username": "a", "password": "b"}', "application/json; charset=nonsense"),
    ]
)
def test_coordinator_login_refuses_broken_bodies(assistant: Assistant, batch: list[RawRequest]) -> None:
    """Refused, or, as the wrong tries from this one address add up, slowed down (429)."""
    for answer in sent(assistant.web_url, batch):
        assert answer.status in (400, 401, 405, 413, 415, 429), answer.request.describe()
    assert_still_normal(assistant)


@pytest.fixture(scope="module")
def coordinator_session(assistant: Assistant) -> dict[str, str]:
    """A logged-in coordinator who has claimed a request, with the cookie and CSRF token a browser would hold."""
    url = f"sqlite:///{assistant.var_dir / 'halsolotsen.db'}"
    account = accounts.create(COORDINATOR, PASSWORD, "coordinator", ["*"], url=url)
    form = participants.RequestForm(
        HANDOFF_SENDER, "rest", "Testperson", "sv", False, "Fuzzby", "morning", "chat", None, None
    )
    reference = participants.save(form, url=url)
    request_id = next(r["id"] for r in coordination.listing(account, url=url) if r["reference"] == reference)
    coordination.claim(account, request_id, url=url)
    response = httpx.post(f"{assistant.web_url}{LOGIN}", json={"username": COORDINATOR, "password": PASSWORD})
    response.raise_for_status()
    return {SESSION: response.cookies["hl_session"], CSRF: response.json()["csrf"], "request_id": str(request_id)}


def _coordinator_requests() -> st.SearchStrategy[RawRequest]:
    """Guarded routes with junk request ids and bodies, and junk or real cookies and CSRF tokens."""
    cookie = st.just(SESSION) | hostile.HEADER_VALUES
    csrf = st.just(CSRF) | hostile.HEADER_VALUES
    request_id = (
        st.sampled_from(["<request_id>", "0", "-1", "99999999999", "١٢", "²", "1e3", " 1"]) | hostile.JUNK_SEGMENTS
    )
    body = (
        st.fixed_dictionaries(
            {},
            optional={
                "text": hostile.MESSAGES | hostile.JSON_VALUES,
                "times": hostile.JSON_VALUES | st.lists(st.text(max_size=30) | hostile.JSON_VALUES, max_size=6),
                "status": hostile.JSON_VALUES | st.sampled_from(["booked", "new", "claimed", ""]),
            },
        ).map(lambda value: json.dumps(value).encode())
        | hostile.BROKEN_BODIES
    )
    posts = st.builds(
        lambda rid, route, data, c, token: RawRequest(
            "POST", f"/koordinator/api/requests/{rid}/{route}", data, headers=_login_headers(c, token)
        ),
        request_id,
        st.sampled_from(["claim", "messages", "proposals", "status"]),
        body,
        cookie,
        csrf,
    )
    gets = st.builds(
        lambda path, c: RawRequest("GET", path, content_type=None, headers={"Cookie": f"hl_session={c}"}),
        st.sampled_from(["/koordinator/api/me", "/koordinator/api/requests"])
        | request_id.map("/koordinator/api/requests/".__add__)
        | hostile.JUNK_QUERY_VALUES.map("/koordinator/api/recordings?lang=".__add__),
        cookie,
    )
    # Recordings: junk or real language and text ids, bodies that are no audio, any content type.
    recordings = st.builds(
        lambda lang, audio_id, data, content_type, c, token: RawRequest(
            "PUT", f"/koordinator/api/recordings/{lang}/{audio_id}", data, content_type, _login_headers(c, token)
        ),
        st.sampled_from(["sv", "ti"]) | hostile.JUNK_SEGMENTS,
        st.sampled_from(["ui.welcome", "somn"]) | hostile.JUNK_SEGMENTS,
        st.binary(max_size=300) | hostile.BROKEN_BODIES,
        st.sampled_from(["audio/webm", "audio/ogg", "audio/wav", "audio/mpeg", "audio/mp4"]) | hostile.CONTENT_TYPES,
        cookie,
        csrf,
    )
    return posts | gets | recordings


# The coordinator API's routes with one plain path segment for each variable part.
ROUTED = re.compile(
    r"/koordinator/api/(?:(?P<me>me)|requests(?:/(?P<id>[\w-]+)(?:/(?P<change>claim|messages|proposals|status))?)?"
    r"|recordings\?lang=.*|recordings/(?P<recording>[\w.]+/[\w.]+))"
)


def _allowed_statuses(request: RawRequest, session: dict[str, str]) -> set[int]:
    """What the coordinator API may answer to `request`, from who sends it and what it asks."""
    routed = ROUTED.fullmatch(request.path)
    if not routed or not request.path.isascii() or {".", ".."} & set(request.path.split("?")[0].split("/")):
        routed, unrouted = None, {400, 404, 405}
    else:
        unrouted = set()
    if any(len(part.encode()) > MAX_NAME_BYTES for part in request.path.split("?")[0].split("/")):
        unrouted |= {404}  # bot/web/http.py refuses a path part longer than a file name before any route
    # 400: a header the HTTP parser cannot read (junk bytes in a cookie) is refused before any route
    if request.headers.get("Cookie") != f"hl_session={session[SESSION]}":
        return {400, 401} | unrouted
    if request.method != "GET" and request.headers.get("X-CSRF-Token") != session[CSRF]:
        return {400, 403} | unrouted
    if routed is None:  # a junk segment may still land on a route ("requests/../messages": id "..")
        return {200, 400, 404, 405, 409, 413}
    if routed["me"] or not (routed["id"] or routed["recording"]):
        return {200, 400}  # /me, the listing, and recordings?lang= (400 for an unknown language)
    if routed["recording"]:
        return {200, 400, 404, 413, 415, 422}
    # A change with a body reads the body before the id: a body that is no JSON object is a 409 first.
    with_body = {409, 413} if routed["change"] in ("messages", "proposals", "status") else set()
    if routed["id"] != session["request_id"]:
        return {404} | with_body
    return {200, 409, 413}


def _login_headers(cookie: str, csrf: str) -> dict[str, str]:
    return {"Cookie": f"hl_session={cookie}", "X-CSRF-Token": csrf}


def _logged_in(request: RawRequest, session: dict[str, str]) -> RawRequest:
    """The request with the stand-ins replaced by the real session, CSRF token and request id."""
    headers = {name: value.replace(SESSION, session[SESSION]) for name, value in request.headers.items()}
    if headers.get("X-CSRF-Token") == CSRF:
        headers["X-CSRF-Token"] = session[CSRF]
    return replace(request, path=request.path.replace("<request_id>", session["request_id"]), headers=headers)


@hostile_settings(batches=12)
@given(batches(_coordinator_requests()))
@example(
    [
        RawRequest(
            "POST", "/koordinator/api/requests/<request_id>/claim", b"{}", headers=_login_headers(SESSION, "åäö")
        ),
        RawRequest("POST", "/koordinator/api/requests/%C2%B2/claim", b"{}", headers=_login_headers(SESSION, CSRF)),
        RawRequest(
            "POST",
            "/koordinator/api/requests/<request_id>/messages",
            b'{"text": "\\ud83d hej"}',
            headers=_login_headers(SESSION, CSRF),
        ),
    ]
)
def test_coordinator_api_refuses_junk_ids_bodies_and_tokens(
    assistant: Assistant, coordinator_session: dict[str, str], batch: list[RawRequest]
) -> None:
    """Without the session cookie 401, a change without the session's CSRF token 403, another or
    a junk request id 404; only the logged-in coordinator's own request gets 200 (or 409 for a
    change that is not possible). A path with a junk segment may also get 400, 404 or 405."""
    for answer in sent(assistant.web_url, [_logged_in(request, coordinator_session) for request in batch]):
        allowed = _allowed_statuses(answer.request, coordinator_session)
        assert answer.status in allowed, f"{answer.status} not in {sorted(allowed)}: {answer.request.describe()}"
    me = httpx.get(f"{assistant.web_url}/koordinator/api/me", cookies={"hl_session": coordinator_session[SESSION]})
    assert me.json()["username"] == COORDINATOR
    assert_still_normal(assistant)


@hostile_settings(batches=2)
@given(batches(hostile.chat_requests(WEBHOOK, st.just(HANDOFF_SENDER), hostile.MESSAGES | hostile.HUGE)))
def test_hostile_messages_to_a_coordinator(
    assistant: Assistant, coordinator_session: dict[str, str], batch: list[RawRequest]
) -> None:
    """While a coordinator has the conversation, the participant's words go to them (the bot stays
    quiet); a button takes the participant back to the bot. Either way: no 5xx, a JSON list."""
    url = f"sqlite:///{assistant.var_dir / 'halsolotsen.db'}"
    account = accounts.authenticate(COORDINATOR, PASSWORD, url=url).account
    coordination.write(account, int(coordinator_session["request_id"]), "Hej, jag heter Sara.", url=url)
    for answer in sent(assistant.url, batch):
        assert answer.status == 200 and isinstance(answer.json(), list), answer.request.describe()
    assert_still_normal(assistant)
