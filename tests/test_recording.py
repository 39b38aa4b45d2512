"""The recording page and its API against the real web server process: logins and refusals over
HTTP, and a communicator recording a Tigrinya answer in Debian's headless Chromium with a fake
microphone, after which the web server serves that recording as the answer's audio."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
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
RECORDER = "recorder"
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web server alone (the recording page needs neither Rasa nor the action server) on a
    copy of content/ with its own database and audio folder, and a recorder account made with
    the documented command."""
    folder = tmp_path_factory.mktemp("recording")
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
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "account", "add", RECORDER, "--role", "recorder", "--password-stdin"],
        input=f"{PASSWORD}\n",
        text=True,
        env={**os.environ, **env},
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    web = services.web_server(port)
    web.ready_url = web.health_url  # no Rasa here: recording needs none, and the server is never "ready"
    services.start([web], env=env)
    yield Server(url, content_dir, database)
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


def test_a_coordinator_may_record_too(server: Server) -> None:
    accounts.create("coordinator-rec", PASSWORD, "coordinator", ["Malmö"], url=server.database)
    with logged_in(server, "coordinator-rec") as (http, _):
        assert ITEM in listed(http, "ti")


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


def test_a_new_take_replaces_the_earlier_one_and_is_served_at_once(
    server: Server, client: tuple[httpx.Client, str], tmp_path: Path
) -> None:
    http, csrf = client
    headers = {"content-type": "audio/webm", "X-CSRF-Token": csrf}
    first = http.put(f"{API}/ti/{OTHER}", content=tone(frequency=300), headers=headers)
    assert first.status_code == 200
    second = http.put(f"{API}/ti/{OTHER}", content=tone(frequency=500), headers=headers)
    assert second.status_code == 200
    assert second.json()["audio"] != first.json()["audio"]
    assert [name for name in server.recordings("ti") if OTHER in name] == [f"audio/{OTHER}.ogg"]
    assert OTHER not in listed(http, "ti")
    served = httpx.get(second.json()["audio"])
    assert (served.status_code, served.headers["content-type"]) == (200, "audio/mpeg")
    assert float(probe(served.content, tmp_path)["format"]["duration"]) > 1.0


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


def test_a_communicator_records_listens_and_saves_and_the_answer_has_that_recording_as_audio(
    page: Page, server: Server, tmp_path: Path
) -> None:
    log_in(page)
    expect(page.get_by_role("button", name="ትግርኛ", exact=True)).to_have_attribute("aria-pressed", "true")
    take = page.locator(f'li[data-id="{ITEM}"]')
    expect(take.locator(".text")).to_have_attribute("lang", "ti")
    expect(take.locator(".text")).to_contain_text("ስራሕ")

    take.get_by_role("button", name="Spela in", exact=True).click()
    expect(take.get_by_role("button", name="Stoppa")).to_be_focused()
    page.wait_for_timeout(2000)  # the communicator reads for about two seconds
    take.get_by_role("button", name="Stoppa").click()
    take.get_by_role("button", name="Lyssna").click()
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
    expect(take.get_by_role("status")).to_contain_text("Sparad")
    expect(take).to_have_attribute("data-audio", "recorded")

    stored = server.content_dir / "ti" / "audio" / f"{ITEM}.ogg"
    assert probe(stored.read_bytes(), tmp_path)["streams"][0]["codec_name"] == "opus"

    answer = httpx.get(f"{server.url}/api/show/{ITEM}", params={"lang": "ti"}).json()[-1]
    assert answer["custom"]["lang"] == "ti"
    for key, content_type in (("audio", "audio/mpeg"), ("voice", "audio/ogg")):
        served = httpx.get(answer["custom"][key])
        assert (served.status_code, served.headers["content-type"]) == (200, content_type)
        assert float(probe(served.content, tmp_path)["format"]["duration"]) > 1.0
    manifest = json.loads((server.content_dir.parent / "var" / "audio" / library.MANIFEST).read_text("utf-8"))
    (entry,) = [e for e in manifest.values() if (e["id"], e["file"]) == (ITEM, Path(answer["custom"]["audio"]).stem)]
    assert entry["source"].startswith(library.RECORDED)

    assert (RECORDER, "recording_saved") in [(e.actor, e.action) for e in audit.entries(url=server.database)]
    page.reload()
    expect(page.locator("#texts li").first).to_be_visible()
    expect(page.locator(f'li[data-id="{ITEM}"]')).to_have_count(0)


def test_the_page_is_accessible_logged_out_and_with_an_arabic_list(page: Page) -> None:
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    serious = _serious(Axe().run(page))
    assert serious == [], "\n".join(serious)

    log_in(page)
    page.get_by_role("button", name="العربية", exact=True).click()
    first = page.locator("#texts .text").first
    expect(first).to_have_attribute("lang", "ar")
    expect(first).to_have_attribute("dir", "rtl")
    serious = _serious(Axe().run(page))
    assert serious == [], "\n".join(serious)
    small = page.evaluate(
        "[...document.querySelectorAll('a, button, input')].filter(e => e.offsetParent)"
        ".map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length"
    )
    assert small == 0, "every control is a tap target of at least 44 × 44 px"


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
