"""The recording page and its API against the real web server process: logins and refusals over
HTTP, and a communicator recording a Tigrinya answer in Debian's headless Chromium with a fake
microphone, after which the web server serves that recording as the answer's audio."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot import services
from bot.accounts import store as accounts
from bot.audio import library, recordings
from bot.audio.speech import EspeakSpeech
from bot.content.store import load
from bot.handoff import audit
from bot.settings import CONTENT_DIR, PROJECT_ROOT
from tests.assistant import free_port
from tests.test_widget import CHROMIUM, CHROMIUM_ARGS, OUTPUT, TIMEOUT_MS, _serious

pytestmark = [pytest.mark.e2e, pytest.mark.browser]  # its own web server and Chromium

PAGE = "/koordinator/inspelning"
API = "/koordinator/api/recordings"
PASSWORD = "a long test password"
RECORDER = "recorder"  # records Tigrinya and Arabic
SECOND = "recorder-ti"  # a second Tigrinya recorder: the other person who approves
COORDINATOR = "coordinator-rec"
FAKE_MICROPHONE = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
ITEM = "arbetsformedlingen"  # the Tigrinya answer the browser test records
OTHER = "ui.welcome"  # the Tigrinya text the HTTP tests record
ARABIC_VOICED = ("halsoskola", "arbetsformedlingen", "ui.welcome")  # given the offline voice


@dataclass(frozen=True)
class Server:
    url: str
    content_dir: Path
    database: str

    def recordings(self, lang: str) -> list[str]:
        """Every file and folder the recording API may have written for `lang`, hidden ones too."""
        folder = self.content_dir / lang
        return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.suffix != ".yml")


def account_command(env: dict[str, str], *args: str, password: bool = False) -> None:
    """`python -m bot account …` as an administrator types it."""
    subprocess.run(
        [sys.executable, "-m", "bot", "account", *args, *(["--password-stdin"] if password else [])],
        input=f"{PASSWORD}\n" if password else None,
        text=True,
        env={**os.environ, **env},
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )


def start_server(folder: Path, **settings: str) -> tuple[Server, dict[str, str], services.Service]:
    """The web server alone (the recording page needs neither Rasa nor the action server) on a
    copy of content/ with its own database and audio folder (three Arabic texts voiced offline)."""
    content_dir, var = folder / "content", folder / "var"
    shutil.copytree(CONTENT_DIR, content_dir)
    texts = {("ar", audio_id) for audio_id in ARABIC_VOICED}
    library.build(load(content_dir), [EspeakSpeech()], content_dir, var / "audio", only=texts)
    port = free_port()
    url = f"http://localhost:{port}"
    database = f"sqlite:///{var / 'halsolotsen.db'}"
    env = {
        "HALSOLOTSEN_CONTENT": str(content_dir),
        "HALSOLOTSEN_VAR": str(var),
        "HALSOLOTSEN_PUBLIC_URL": url,
        "HALSOLOTSEN_DATABASE_URL": database,
        **settings,
    }
    web = services.web_server(port)
    web.ready_url = web.health_url  # no Rasa here: recording needs none, and the server is never "ready"
    services.start([web], env=env)
    return Server(url, content_dir, database), env, web


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web server with the accounts the tests log in as, made with the documented commands:
    a recorder for Tigrinya and Arabic, a second Tigrinya recorder, and a coordinator."""
    found, env, web = start_server(tmp_path_factory.mktemp("recording"))
    account_command(env, "add", RECORDER, "--role", "recorder", "--languages", "ti", password=True)
    account_command(env, "languages", RECORDER, "ti,ar")
    account_command(env, "add", SECOND, "--role", "recorder", "--languages", "ti", password=True)
    account_command(env, "add", COORDINATOR, "--municipalities", "Malmö", password=True)
    yield found
    services.stop([web])


@contextmanager
def logged_in(server: Server, username: str = RECORDER) -> Iterator[tuple[httpx.Client, str]]:
    """An HTTP client with a login session, and the session's CSRF token."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        response = client.post("/koordinator/api/login", json={"username": username, "password": PASSWORD})
        response.raise_for_status()
        yield client, response.json()["csrf"]


@pytest.fixture
def client(server: Server) -> Iterator[tuple[httpx.Client, str]]:
    with logged_in(server) as session:
        yield session


def tone(seconds: float = 1.5, frequency: int = 300) -> bytes:
    """A real WebM/Opus file, as Chromium's MediaRecorder sends."""
    command = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}"]
    return subprocess.run([*command, "-c:a", "libopus", "-f", "webm", "-"], capture_output=True, check=True).stdout


def probe(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "probe"
    path.write_bytes(data)
    command = ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)]
    return json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout)


def listed(http: httpx.Client, lang: str) -> dict[str, str]:
    """The ids the recording list shows for `lang`, with where their audio comes from now."""
    response = http.get(API, params={"lang": lang})
    response.raise_for_status()
    return {text["id"]: text["audio"] for text in response.json()["texts"]}


def test_without_a_login_the_page_loads_but_the_api_answers_401(server: Server) -> None:
    page = httpx.get(server.url + PAGE)
    assert page.status_code == 200
    assert "media-src 'self' blob:" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    before = server.recordings("ti")
    assert httpx.get(server.url + API, params={"lang": "ti"}).status_code == 401
    put = httpx.put(f"{server.url}{API}/ti/{OTHER}", content=tone(), headers={"content-type": "audio/webm"})
    assert (put.status_code, put.json()["error"]) == (401, "login_needed")
    assert server.recordings("ti") == before


def test_the_list_has_texts_without_audio_first_then_synthetic_ones(client: tuple[httpx.Client, str]) -> None:
    http, _ = client
    tigrinya = http.get(API, params={"lang": "ti"}).json()
    assert (tigrinya["lang"], tigrinya["dir"]) == ("ti", "ltr")
    assert {text["audio"] for text in tigrinya["texts"]} == {"missing"}
    by_id = {text["id"]: text["text"] for text in tigrinya["texts"]}
    assert {ITEM, OTHER} <= set(by_id)
    assert any("\u1200" <= letter <= "\u137f" for letter in by_id[ITEM])

    arabic = http.get(API, params={"lang": "ar"}).json()
    assert arabic["dir"] == "rtl"
    sources = [text["audio"] for text in arabic["texts"]]
    assert sources.count("generated") == len(ARABIC_VOICED)
    assert sources == sorted(sources, key=lambda source: source != "missing")
    assert http.get(API, params={"lang": "xx"}).status_code == 400


def test_a_coordinator_may_record_in_every_language(server: Server) -> None:
    with logged_in(server, COORDINATOR) as (http, _):
        assert ITEM in listed(http, "ti")
        assert set(http.get(API).json()["languages"]) == {"sv", "ar", "ti", "so"}


def shown(server: Server, lang: str, item: str) -> dict[str, str]:
    """The audio URLs the chat gives the answer `item` in `lang`: what participants hear."""
    answer = httpx.get(f"{server.url}/api/show/{item}", params={"lang": lang}).json()[-1]
    assert answer["custom"]["lang"] == lang
    return {key: answer["custom"][key] for key in ("audio", "voice") if key in answer["custom"]}


def test_a_recorder_works_only_in_the_languages_of_the_account(
    server: Server, client: tuple[httpx.Client, str]
) -> None:
    """The review's attack: a recorder's login replacing the Swedish 112 answer's audio."""
    http, csrf = client
    mine = http.get(API).json()
    assert (mine["lang"], mine["languages"]) == ("ti", ["ti", "ar"])  # no speech engine first
    refused = http.get(API, params={"lang": "sv"})
    assert (refused.status_code, refused.json()["error"]) == (403, "language_not_allowed")
    before, served = server.recordings("sv"), shown(server, "sv", "varden_akut")
    headers = {"content-type": "audio/webm", "X-CSRF-Token": csrf}
    for method, path in (("PUT", ""), ("GET", "/review"), ("POST", "/approve"), ("POST", "/undo")):
        response = http.request(method, f"{API}/sv/varden_akut{path}", content=tone(), headers=headers)
        assert (response.status_code, response.json()["error"]) == (403, "language_not_allowed"), path
    assert server.recordings("sv") == before
    assert shown(server, "sv", "varden_akut") == served

    accounts.create("recorder-new", PASSWORD, "recorder", [], url=server.database)
    with logged_in(server, "recorder-new") as (newcomer, _):
        response = newcomer.get(API)
        assert (response.status_code, response.json()["error"]) == (403, "no_languages")


def test_a_change_without_the_csrf_token_is_refused(server: Server, client: tuple[httpx.Client, str]) -> None:
    http, _ = client
    before = server.recordings("ti")
    for headers in ({}, {"X-CSRF-Token": "not-the-token"}):
        response = http.put(f"{API}/ti/{OTHER}", content=tone(), headers={"content-type": "audio/webm", **headers})
        assert (response.status_code, response.json()["error"]) == (403, "csrf")
    assert server.recordings("ti") == before


@pytest.mark.parametrize(
    ("path", "content_type", "body", "status", "code"),
    [
        (f"xx/{OTHER}", "audio/webm", "tone", 400, "unknown_language"),
        ("ti/finns_inte", "audio/webm", "tone", 404, "unknown_text"),
        ("ti/..%2F..%2Fsv%2Fui", "audio/webm", "tone", 404, "unknown_text"),
        (f"ti/{OTHER}", "text/plain", "tone", 415, "not_audio_type"),
        (f"ti/{OTHER}", "audio/webm", "", 400, "empty"),
        (f"ti/{OTHER}", "audio/webm", "not audio at all", 422, "not_audio"),
        (f"ti/{OTHER}", "audio/ogg", "tone", 422, "not_audio"),  # WebM sent as Ogg: no guessing
        (f"ti/{OTHER}", "audio/webm", "a slip of the finger", 422, "too_short"),
        (f"ti/{OTHER}", "audio/webm", "too large", 413, "too_large"),
    ],
)
def test_a_bad_language_text_type_length_or_size_is_refused_and_nothing_is_written(
    server: Server,
    client: tuple[httpx.Client, str],
    path: str,
    content_type: str,
    body: str,
    status: int,
    code: str,
) -> None:
    http, csrf = client
    bodies = {
        "tone": tone(),
        "a slip of the finger": tone(seconds=0.2),
        "too large": b"\0" * (recordings.MAX_BYTES + 1),
    }
    before = server.recordings("ti")
    response = http.put(
        f"{API}/{path}",
        content=bodies.get(body, body.encode()),
        headers={"content-type": content_type, "X-CSRF-Token": csrf},
    )
    assert (response.status_code, response.json()["error"]) == (status, code)
    assert server.recordings("ti") == before
    assert not (server.content_dir / "xx").exists()
    assert listed(http, "ti")[OTHER] == "missing"


def entry(http: httpx.Client, lang: str, audio_id: str) -> dict:
    return next(text for text in http.get(API, params={"lang": lang}).json()["texts"] if text["id"] == audio_id)


def seconds(data: bytes, tmp_path: Path) -> float:
    return float(probe(data, tmp_path)["format"]["duration"])


def test_a_take_is_served_only_after_another_person_approves_it_and_the_audit_names_the_text(
    server: Server, client: tuple[httpx.Client, str], tmp_path: Path
) -> None:
    http, csrf = client
    headers = {"content-type": "audio/webm", "X-CSRF-Token": csrf}
    for length in (1.5, 2.5):  # a second take replaces the first one under review
        saved = http.put(f"{API}/ti/{OTHER}", content=tone(seconds=length), headers=headers)
        assert (saved.status_code, saved.json()["review"]) == (200, "mine")
    taken = [name for name in server.recordings("ti") if OTHER in name]
    assert taken == [f"audio/review/{OTHER}.ogg", f"audio/review/{OTHER}.txt"]  # the take, and what it says
    spoken = (server.content_dir / "ti" / "audio" / "review" / f"{OTHER}.txt").read_text(encoding="utf-8")
    assert spoken == entry(http, "ti", OTHER)["text"]
    assert entry(http, "ti", OTHER) | {"text": ""} == {
        "id": OTHER,
        "text": "",
        "audio": "missing",
        "review": "mine",
        "recorded_by": RECORDER,
        "undo": False,
    }
    own = http.post(f"{API}/ti/{OTHER}/approve", headers={"X-CSRF-Token": csrf})
    assert (own.status_code, own.json()["error"]) == (409, "own_recording")
    assert listed(http, "ti")[OTHER] == "missing", "nothing is served before a second person approves"

    with logged_in(server, SECOND) as (other, other_csrf):
        assert entry(other, "ti", OTHER)["review"] == "other"
        heard = other.get(f"{API}/ti/{OTHER}/review")
        assert (heard.status_code, heard.headers["content-type"]) == (200, "audio/ogg")
        assert seconds(heard.content, tmp_path) > 2.0
        approved = other.post(f"{API}/ti/{OTHER}/approve", headers={"X-CSRF-Token": other_csrf})
        assert approved.status_code == 200
        served = httpx.get(approved.json()["audio"])
        assert (served.status_code, served.headers["content-type"]) == (200, "audio/mpeg")
        assert seconds(served.content, tmp_path) > 2.0
        assert entry(other, "ti", OTHER) | {"text": ""} == {
            "id": OTHER,
            "text": "",
            "audio": "recorded",
            "review": None,
            "recorded_by": None,
            "undo": True,
        }
        again = other.post(f"{API}/ti/{OTHER}/approve", headers={"X-CSRF-Token": other_csrf})
        assert (again.status_code, again.json()["error"]) == (409, "nothing_to_approve")
    assert [name for name in server.recordings("ti") if OTHER in name] == [f"audio/{OTHER}.ogg", f"audio/{OTHER}.txt"]
    rows = [(e.actor, e.action, e.subject) for e in audit.entries(url=server.database) if e.subject == f"ti/{OTHER}"]
    assert rows[-3:] == [
        (RECORDER, "recording_saved", f"ti/{OTHER}"),
        (RECORDER, "recording_saved", f"ti/{OTHER}"),
        (SECOND, "recording_approved", f"ti/{OTHER}"),
    ]


def test_undo_brings_back_the_audio_served_before_the_last_approval(server: Server) -> None:
    """Arabic answers start with a synthetic voice; each approval keeps what it replaced."""
    with logged_in(server, COORDINATOR) as (coordinator, coordinator_csrf), logged_in(server) as (recorder, csrf):

        def record_and_approve(item: str, length: float) -> dict[str, str]:
            saved = coordinator.put(
                f"{API}/ar/{item}",
                content=tone(seconds=length),
                headers={"content-type": "audio/webm", "X-CSRF-Token": coordinator_csrf},
            )
            assert saved.status_code == 200
            assert recorder.post(f"{API}/ar/{item}/approve", headers={"X-CSRF-Token": csrf}).status_code == 200
            return shown(server, "ar", item)

        def undo(item: str) -> httpx.Response:
            return coordinator.post(f"{API}/ar/{item}/undo", headers={"X-CSRF-Token": coordinator_csrf})

        synthetic = shown(server, "ar", "halsoskola")
        assert set(synthetic) == {"audio", "voice"}
        first = record_and_approve("halsoskola", 1.5)
        second = record_and_approve("halsoskola", 2.5)
        assert len({synthetic["audio"], first["audio"], second["audio"]}) == 3
        assert "audio/previous/halsoskola.ogg" in server.recordings("ar")
        assert (undo("halsoskola").json()["audio_source"], shown(server, "ar", "halsoskola")) == ("recorded", first)
        refused = undo("halsoskola")
        assert (refused.status_code, refused.json()["error"]) == (409, "nothing_to_undo")

        synthetic = shown(server, "ar", "arbetsformedlingen")
        assert record_and_approve("arbetsformedlingen", 1.5) != synthetic
        assert undo("arbetsformedlingen").json()["audio_source"] == "generated"
        assert shown(server, "ar", "arbetsformedlingen") == synthetic
        assert listed(recorder, "ar")["arbetsformedlingen"] == "generated"
    undone = [e.subject for e in audit.entries(url=server.database) if e.action == "recording_undone"]
    assert undone == ["ar/halsoskola", "ar/arbetsformedlingen"]


# A converter that hangs: it notes its process id and sleeps far past the server's time limit.
HUNG_FFMPEG = '#!/bin/sh\necho $$ >> "$HUNG_FFMPEG_LOG"\nexec sleep 30\n'


@pytest.fixture(scope="module")
def hung(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """A second web server whose ffmpeg hangs, with one converter, a 4 s limit and 1 s in the queue."""
    folder = tmp_path_factory.mktemp("hung")
    tools, log = folder / "bin", folder / "ffmpeg-pids"
    tools.mkdir()
    (tools / "ffmpeg").write_text(HUNG_FFMPEG)
    (tools / "ffmpeg").chmod(0o755)
    settings = {
        "PATH": f"{tools}:{os.environ['PATH']}",
        "HUNG_FFMPEG_LOG": str(log),
        "HALSOLOTSEN_FFMPEG_SECONDS": "4",
        "HALSOLOTSEN_FFMPEG_AT_ONCE": "1",
        "HALSOLOTSEN_FFMPEG_QUEUE_SECONDS": "1",
    }
    found, env, web = start_server(folder / "site", **settings)
    account_command(env, "add", RECORDER, "--role", "recorder", "--languages", "ti", password=True)
    yield found, log
    services.stop([web])


def running(pids: Path) -> int:
    """How many of the converters that started are still running."""
    started = [int(pid) for pid in pids.read_text().split()] if pids.exists() else []
    return sum(1 for pid in started if Path(f"/proc/{pid}").exists())


def test_a_hung_conversion_is_stopped_with_a_clear_error_and_the_server_keeps_answering(
    hung: tuple[Server, Path],
) -> None:
    server, pids = hung
    with logged_in(server) as (http, csrf):
        headers = {"content-type": "audio/webm", "X-CSRF-Token": csrf}
        take = tone()
        with ThreadPoolExecutor(max_workers=3) as pool:
            puts = [pool.submit(http.put, f"{API}/ti/{OTHER}", content=take, headers=headers) for _ in range(3)]
            most, answered_meanwhile = 0, False
            while not all(put.done() for put in puts):
                now = most = max(most, running(pids))
                if now and not answered_meanwhile:  # a conversion hangs now: the server still answers
                    listing = http.get(API, params={"lang": "ti"})
                    answered_meanwhile = listing.status_code == 200 and running(pids) > 0
                time.sleep(0.05)
        answers = sorted((put.result().status_code, put.result().json()["error"]) for put in puts)
    assert answers == [(503, "busy"), (503, "busy"), (503, "too_slow")]
    assert answered_meanwhile, "the list was answered while a conversion hung"
    assert most == 1, "one conversion at a time"
    assert running(pids) == 0, "the hung ffmpeg was stopped"
    assert [name for name in server.recordings("ti") if OTHER in name] == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MICROPHONE)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server.url + PAGE)
    yield page
    context.close()


def log_in(page: Page, username: str = RECORDER) -> None:
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text(f"Inloggad som {username}")).to_be_visible()


def tap_size_problems(page: Page) -> int:
    """How many visible controls are smaller than a 44 × 44 px tap target."""
    return page.evaluate(
        "[...document.querySelectorAll('a, button, input')].filter(e => e.offsetParent)"
        ".map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length"
    )


def test_a_take_is_heard_by_participants_only_after_a_second_person_approves_it_on_the_page(
    browser: Browser, page: Page, server: Server, tmp_path: Path
) -> None:
    log_in(page)
    expect(page.locator("#languages button")).to_have_text(["العربية", "ትግርኛ"])  # the account's languages only
    expect(page.get_by_role("button", name="ትግርኛ", exact=True)).to_have_attribute("aria-pressed", "true")
    take = page.locator(f'li[data-id="{ITEM}"]')
    expect(take.locator(".text")).to_have_attribute("lang", "ti")
    expect(take.locator(".text")).to_contain_text("ስራሕ")

    take.get_by_role("button", name="Spela in", exact=True).click()
    expect(take.get_by_role("button", name="Stoppa")).to_be_focused()
    page.wait_for_timeout(2000)  # the communicator reads for about two seconds
    take.get_by_role("button", name="Stoppa").click()
    take.get_by_role("button", name="Lyssna", exact=True).click()
    page.wait_for_function(
        "() => { const p = document.getElementById('player');"
        " return p.src.startsWith('blob:') && (p.currentTime > 0 || p.ended); }"
    )
    expect(take.get_by_role("button", name="Spela in igen")).to_be_visible()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "recording-ti.png")
    with page.expect_response(lambda r: r.request.method == "PUT" and f"/ti/{ITEM}" in r.url) as saved:
        take.get_by_role("button", name="Spara").click()
    assert saved.value.status == 200
    expect(take.get_by_role("status")).to_contain_text("En annan person ska lyssna och godkänna")
    expect(take.locator(".badge")).to_have_text("Väntar på godkännande")
    expect(take.get_by_role("button", name="Godkänn")).to_be_hidden()  # not one's own take
    assert shown(server, "ti", ITEM) == {}, "participants hear nothing new yet"

    context = browser.new_context(viewport={"width": 390, "height": 844})  # the second person, on a phone
    context.set_default_timeout(TIMEOUT_MS)
    second = context.new_page()
    second.goto(server.url + PAGE)
    log_in(second, SECOND)
    waiting = second.locator(f'li[data-id="{ITEM}"]')
    expect(waiting.get_by_role("status")).to_contain_text(f"{RECORDER} har spelat in texten")
    waiting.get_by_role("button", name="Lyssna på förslaget").click()
    second.wait_for_function(
        "() => { const p = document.getElementById('player');"
        " return p.src.endsWith('/review') && (p.currentTime > 0 || p.ended); }"
    )
    approve = waiting.get_by_role("button", name="Godkänn")
    approve.scroll_into_view_if_needed()
    second.screenshot(path=OUTPUT / "recording-review-ti.png")
    box = approve.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    approve.click()
    expect(waiting.get_by_role("status")).to_contain_text("Godkänd. Svaret använder nu inspelningen.")
    expect(waiting).to_have_attribute("data-audio", "recorded")
    expect(waiting.get_by_role("button", name="Ångra")).to_be_focused()
    assert tap_size_problems(second) == 0

    stored = server.content_dir / "ti" / "audio" / f"{ITEM}.ogg"
    assert probe(stored.read_bytes(), tmp_path)["streams"][0]["codec_name"] == "opus"
    answer = httpx.get(f"{server.url}/api/show/{ITEM}", params={"lang": "ti"}).json()[-1]
    for key, content_type in (("audio", "audio/mpeg"), ("voice", "audio/ogg")):
        served = httpx.get(answer["custom"][key])
        assert (served.status_code, served.headers["content-type"]) == (200, content_type)
        assert float(probe(served.content, tmp_path)["format"]["duration"]) > 1.0
    manifest = json.loads((server.content_dir.parent / "var" / "audio" / library.MANIFEST).read_text("utf-8"))
    (entry,) = [e for e in manifest.values() if (e["id"], e["file"]) == (ITEM, Path(answer["custom"]["audio"]).stem)]
    assert entry["source"].startswith(library.RECORDED)
    rows = [(e.actor, e.action, e.subject) for e in audit.entries(url=server.database)]
    assert [row for row in rows if row[2] == f"ti/{ITEM}"] == [
        (RECORDER, "recording_saved", f"ti/{ITEM}"),
        (SECOND, "recording_approved", f"ti/{ITEM}"),
    ]

    waiting.get_by_role("button", name="Ångra").click()
    expect(waiting.get_by_role("status")).to_contain_text("Ångrad")
    expect(waiting).to_have_attribute("data-audio", "missing")
    assert shown(server, "ti", ITEM) == {}, "undone: the answer is text only again, as before"
    context.close()


def test_the_page_is_accessible_logged_out_and_with_an_arabic_list(page: Page, server: Server) -> None:
    with logged_in(server, COORDINATOR) as (http, csrf):  # a take for the recorder to approve
        headers = {"content-type": "audio/webm", "X-CSRF-Token": csrf}
        assert http.put(f"{API}/ar/ui.welcome", content=tone(), headers=headers).status_code == 200
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    serious = _serious(Axe().run(page))
    assert serious == [], "\n".join(serious)

    log_in(page)
    page.get_by_role("button", name="العربية", exact=True).click()
    first = page.locator("#texts .text").first
    expect(first).to_have_attribute("lang", "ar")
    expect(first).to_have_attribute("dir", "rtl")
    expect(page.locator('li[data-id="ui.welcome"]').get_by_role("button", name="Godkänn")).to_be_visible()
    serious = _serious(Axe().run(page))
    assert serious == [], "\n".join(serious)
    assert tap_size_problems(page) == 0, "every control is a tap target of at least 44 × 44 px"


def test_a_recorder_who_logs_in_on_the_coordinator_view_lands_on_the_recording_page(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server.url + "/koordinator/")
    page.get_by_label("Användarnamn").fill(RECORDER)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(server.url + PAGE)
    expect(page.get_by_text(f"Inloggad som {RECORDER}")).to_be_visible()
    expect(page.locator("#texts li").first).to_be_visible()
    context.close()
