"""The content check: broken files give exact `file:line: message` errors a coordinator can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentError, load


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load(root)
    return [str(problem) for problem in raised.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_content_is_valid(content_dir: Path) -> None:
    content = load(content_dir)
    assert content.items["somn"].parts[0].id == "somn_varfor"
    assert content.next_part("somn_varfor") == "somn_rad"
    assert content.next_part("somn_rad") is None
    assert [s.id for s in content.menu()] == ["halsa"]


def test_missing_field_names_the_item_line(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    scope: national\n    parts:", "    parts:")
    assert _problems(content_dir) == [f'{path}:7: scope (gäller var) saknas här. Lägg till raden "scope: ...".']


def test_colon_in_text_is_explained_with_its_line(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "        text: Kroppen vilar när du sover.", "        text: Obs: kroppen vilar.")
    assert _problems(content_dir) == [
        f'{path}:23: ett kolon (:) står mitt i en text. Sätt texten inom citattecken, eller skriv den under ">-".'
    ]


def test_bad_indentation_is_explained(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    title: Vårdcentralen", "   title: Vårdcentralen")
    (problem,) = _problems(content_dir)
    assert problem.startswith(f"{path}:")
    assert "indraget stämmer inte" in problem


def test_duplicate_key_is_reported(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    title: Sömn\n", "    title: Sömn\n    title: Sova\n")
    assert _problems(content_dir) == [f"{path}:9: samma fält står två gånger ('title'). Ta bort det ena."]


def test_unknown_reference_and_duplicate_id(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "related: [vardcentral]", "related: [vardcentralen]")
    _edit(path, "  - id: vardcentral\n", "  - id: somn_rad\n")
    assert _problems(content_dir) == [
        f'{path}:33: id "somn_rad" finns redan i {path}:27. Varje id måste vara unikt.',
        f'{path}:7: "somn" pekar på "vardcentralen" under related, men det id:t finns inte.',
    ]


def test_hard_swedish_fails_the_lix_limit(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(
        path,
        "        text: Drick inte kaffe på kvällen.",
        "        text: Koffeinintag under kvällstimmarna försämrar sömnkvaliteten avsevärt för majoriteten.",
    )
    (problem,) = _problems(content_dir)
    assert problem.startswith(f'{path}:27: "somn_rad" är svår att läsa (LIX ')


def test_unknown_field_and_long_title(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    title: Sömn\n", "    title: Sömn och vila för kropp och själ varje natt\n    tittle: x\n")
    assert sorted(_problems(content_dir)) == [
        f"{path}:8: rubriken är för lång. Den får vara högst 40 tecken, för den blir en knapp.",
        f'{path}:9: fältet "tittle" känns inte igen. Kolla stavningen, eller ta bort raden.',
    ]


def test_missing_ui_text(content_dir: Path) -> None:
    path = content_dir / "sv" / "ui.yml"
    _edit(path, "  button_next: Nästa\n", "")
    assert _problems(content_dir) == [f'{path}:4: texten "button_next" saknas under strings.']


def test_triggers_match_whole_words_without_diacritics(content_dir: Path) -> None:
    content = load(content_dir)
    assert content.urgent_item("Hjälp! Min pappa ANDAS INTE") == "akut_112"
    assert content.urgent_item("min pappa andas inte?") == "akut_112"
    assert content.urgent_item("jag vill andas bättre") is None


def test_a_changed_blank_in_a_text_the_code_fills_in_is_named(content_dir: Path) -> None:
    path = content_dir / "sv" / "ui.yml"
    _edit(path, "Meddelanden från dig: {messages}.", "Meddelanden från dig: {antal}.")
    [problem] = _problems(content_dir)
    assert problem.startswith(f"{path}:")
    assert 'i "data_figures" får bara {hours} och {messages} stå inom { }' in problem


def test_an_id_too_long_for_telegram_buttons_is_explained(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "id: somn_rad", "id: somn_rad_om_hur_man_sover_battre_varje_natt")
    assert any("id är för långt. Det får vara högst 30 tecken" in p for p in _problems(content_dir))
