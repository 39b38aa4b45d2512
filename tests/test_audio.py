"""Audio: real offline speech, caching by exact text, recordings first, gTTS without the network."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import responses

from bot.audio import library, recordings
from bot.audio.speech import EspeakSpeech, GoogleSpeech, SpeechError
from bot.content.store import load

GTTS_URL = re.compile(r"https://translate\.google\.com/_/TranslateWebserverUi/data/batchexecute.*")


def probe(path: Path) -> dict:
    """What ffprobe reads from a file: it must decode as audio."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(result.stdout)


def _file(out: Path, lang: str, text: str, extension: str) -> Path:
    manifest = json.loads((out / library.MANIFEST).read_text(encoding="utf-8"))
    return out / f"{manifest[library.text_key(lang, text)]['file']}.{extension}"


def _text(content_dir: Path, item_id: str, lang: str) -> str:
    return next(s.text for s in library.speakables(load(content_dir)) if (s.audio_id, s.lang) == (item_id, lang))


def test_offline_build_makes_decodable_audio_in_each_texts_language(content_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "audio"
    report = library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    spoken = [s for s in library.speakables(load(content_dir)) if s.lang in ("sv", "ar")]
    assert report.generated == len(spoken) > 20
    for lang in ("sv", "ar"):
        text = _text(content_dir, "somn", lang)
        voice, web = probe(_file(out, lang, text, "ogg")), probe(_file(out, lang, text, "mp3"))
        assert voice["streams"][0]["codec_name"] == "opus"
        assert web["streams"][0]["codec_name"] == "mp3"
        assert float(web["format"]["duration"]) > 1.0
        assert voice["streams"][0]["tags"]["language"] == lang


def test_unchanged_text_is_never_regenerated_and_an_edit_regenerates_only_that_text(
    content_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    first = library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    again = library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    assert (again.generated, again.reused) == (0, first.generated)

    path = content_dir / "sv" / "halsa.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Drick inte kaffe", "Drick inte te"), encoding="utf-8")
    edited = library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    assert (edited.generated, edited.reused) == (1, first.generated - 1)
    index = library.AudioIndex(out, "http://library.test")
    assert index.urls("sv", _text(content_dir, "somn_rad", "sv"))["audio"].endswith(".mp3")
    assert index.urls("sv", "Råd för bättre sömn\n\nDrick inte kaffe på kvällen.") == {}


TIGRINYA_SOMN = """section:
  {id: halsa, title: ጥዕና, text: ብዛዕባ ጥዕና., translation: &t {status: draft, by: test, date: 2026-11-23}}
items:
  - {id: somn, title: ድቃስ, text: ድቃስ ንሰውነት ኣገዳሲ እዩ., steps: [ብግዚኡ ደቅሱ.], translation: *t}
"""


def test_a_recording_wins_over_synthesis_and_gives_tigrinya_audio(content_dir: Path, tmp_path: Path) -> None:
    (content_dir / "ti").mkdir()
    (content_dir / "ti" / "halsa.yml").write_text(TIGRINYA_SOMN, encoding="utf-8")
    (content_dir / "ti" / "ui.yml").write_text((content_dir / "ar" / "ui.yml").read_text(encoding="utf-8"))
    for lang in ("sv", "ti"):
        folder = content_dir / lang / "audio"
        folder.mkdir()
        tone = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
        subprocess.run([*tone, str(folder / "somn.wav")], check=True)
    out = tmp_path / "audio"
    library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    manifest = json.loads((out / library.MANIFEST).read_text(encoding="utf-8"))
    entry = manifest[library.text_key("sv", _text(content_dir, "somn", "sv"))]
    assert entry["source"].startswith("recording:")
    assert abs(float(probe(out / f"{entry['file']}.mp3")["format"]["duration"]) - 2.0) < 0.2

    counts, missing = library.coverage(load(content_dir), out)
    assert (counts[("sv", "recorded")], counts[("ti", "recorded")], counts[("ti", "generated")]) == (1, 1, 0)
    assert "somn" not in missing["ti"] and "halsa" in missing["ti"]
    assert "ar" not in missing


def _gtts_reply(mp3: bytes) -> str:
    payload = json.dumps([base64.b64encode(mp3).decode()])
    rpc = [["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]]
    return ")]}'\n\n" + json.dumps(rpc, separators=(",", ":")) + "\n"


@responses.activate
def test_gtts_request_and_response_are_handled_without_the_network(tmp_path: Path) -> None:
    mp3 = tmp_path / "reply.mp3"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=duration=1", str(mp3)], check=True)
    responses.add(responses.POST, GTTS_URL, body=_gtts_reply(mp3.read_bytes()))

    written = GoogleSpeech().synthesize("Hej och välkommen.", "sv", tmp_path / "speech")

    assert written.read_bytes() == mp3.read_bytes()
    (call,) = responses.calls
    sent = json.loads(json.loads(parse_qs(call.request.body)["f.req"][0])[0][0][1])
    assert sent[:2] == ["Hej och välkommen.", "sv"]


@responses.activate
def test_gtts_failure_falls_back_to_the_offline_engine(content_dir: Path, tmp_path: Path) -> None:
    responses.add(responses.POST, GTTS_URL, status=503)
    with pytest.raises(SpeechError):
        GoogleSpeech().synthesize("Hej.", "sv", tmp_path / "speech")

    out = tmp_path / "audio"
    report = library.build(load(content_dir), [GoogleSpeech(), EspeakSpeech()], content_dir, out)
    sources = {entry["source"] for entry in json.loads((out / library.MANIFEST).read_text()).values()}
    assert report.generated > 0 and sources == {"espeak-ng"}


def test_a_build_of_one_text_keeps_every_other_texts_audio_and_the_index_sees_it(
    content_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    first = library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    index = library.AudioIndex(out, "http://library.test")
    text = _text(content_dir, "somn", "sv")
    synthetic = index.urls("sv", text)["audio"]
    before = json.loads((out / library.MANIFEST).read_text(encoding="utf-8"))

    folder = content_dir / "sv" / "audio"
    folder.mkdir()
    tone = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
    subprocess.run([*tone, str(folder / "somn.webm")], check=True)
    report = library.build(load(content_dir), [], content_dir, out, only={("sv", "somn")})

    assert (report.generated, report.reused) == (1, 0)
    after = json.loads((out / library.MANIFEST).read_text(encoding="utf-8"))
    key = library.text_key("sv", text)
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}
    assert len(after) == len(before) == first.generated
    assert after[key]["source"].startswith("recording:")
    recorded = index.urls("sv", text)["audio"]
    assert recorded != synthetic
    assert recorded.endswith(f"/audio/{after[key]['file']}.mp3")
    swedish_somn = next(s for s in library.speakables(load(content_dir)) if (s.lang, s.audio_id) == ("sv", "somn"))
    assert library.source(out, swedish_somn) == "recorded"


def _wav(tmp_path: Path) -> bytes:
    tone = tmp_path / "take.wav"
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", str(tone)],
        check=True,
    )
    return tone.read_bytes()


def _speakable(content_dir: Path, item_id: str, lang: str) -> library.Speakable:
    return next(s for s in library.speakables(load(content_dir)) if (s.audio_id, s.lang) == (item_id, lang))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_recording_of_an_earlier_text_is_never_served_for_the_corrected_text(
    content_dir: Path, tmp_path: Path
) -> None:
    """A take from the recording page says the text it was recorded for. When a coordinator
    corrects that text (a phone number, say), the old voice must not read out the old words
    beside the new ones: Swedish falls back to the synthetic voice, Tigrinya (no engine) to
    text only, and both are listed as needing a new recording."""
    (content_dir / "ti").mkdir()
    (content_dir / "ti" / "halsa.yml").write_text(TIGRINYA_SOMN, encoding="utf-8")
    (content_dir / "ti" / "ui.yml").write_text((content_dir / "ar" / "ui.yml").read_text(encoding="utf-8"))
    out = tmp_path / "audio"
    library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    for lang in ("sv", "ti"):
        item = _speakable(content_dir, "somn", lang)
        recordings.propose(item, _wav(tmp_path), "audio/wav", content_dir)
        assert recordings.approve(load(content_dir), item, content_dir, out)
        assert library.source(out, item) == "recorded"

    _replace(content_dir / "sv" / "halsa.yml", "Sömn är viktig för", "Sömn är mycket viktig för")
    _replace(content_dir / "ti" / "halsa.yml", "ድቃስ ንሰውነት ኣገዳሲ እዩ.", "ድቃስ ንሰውነት ኣዝዩ ኣገዳሲ እዩ.")
    library.build(load(content_dir), [EspeakSpeech()], content_dir, out)

    corrected_sv, corrected_ti = _speakable(content_dir, "somn", "sv"), _speakable(content_dir, "somn", "ti")
    manifest = json.loads((out / library.MANIFEST).read_text(encoding="utf-8"))
    assert manifest[library.text_key("sv", corrected_sv.text)]["source"] == "espeak-ng"
    assert library.source(out, corrected_ti) == "missing"
    assert "somn" in library.coverage(load(content_dir), out)[1]["ti"]
    waiting, _ = recordings.wanted(load(content_dir), out, "sv")
    assert corrected_sv in [item for item, _ in waiting]


def test_a_take_recorded_before_its_text_was_corrected_cannot_be_approved(content_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "audio"
    library.build(load(content_dir), [EspeakSpeech()], content_dir, out)
    recordings.propose(_speakable(content_dir, "somn", "sv"), _wav(tmp_path), "audio/wav", content_dir)
    _replace(content_dir / "sv" / "halsa.yml", "Sömn är viktig för", "Sömn är mycket viktig för")
    corrected = _speakable(content_dir, "somn", "sv")

    with pytest.raises(recordings.TextChangedError):
        recordings.approve(load(content_dir), corrected, content_dir, out)
    assert recordings.review_take(content_dir, corrected) is not None  # still waiting, for a new take to replace
    assert not list((content_dir / "sv" / "audio").glob("somn.*"))
