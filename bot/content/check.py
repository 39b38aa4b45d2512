"""Checks the content folder and reports problems as `file:line: what is wrong`.

The messages are in Swedish because the people who read them are coordinators, not developers:
each says what is wrong and what to do, and points at the line to change.
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import yaml
from pydantic import ValidationError

from bot.content import ui_text, yaml_lines
from bot.content.rules import NATIONAL, local_services, unisolated_numbers
from bot.content.schema import (
    ID_MAX,
    ID_PATTERN,
    TITLE_MAX,
    Item,
    SectionFile,
    TranslatedSectionFile,
    TranslatedUiFile,
    UiFile,
)
from bot.content.topics import item_of_intent
from bot.languages import SOURCE_LANGUAGE, is_rtl

UI_FILE = "ui.yml"
TERMS_FILE = "terms.yml"  # words per item, read by bot.content.terms

FIELD_NAMES = {
    "id": "id",
    "title": "title (rubrik)",
    "text": "text (svaret)",
    "steps": "steps (steg)",
    "source": "source (källa)",
    "reviewed": "reviewed (granskad)",
    "scope": "scope (gäller var)",
}


@dataclass(frozen=True)
class Problem:
    """One thing a coordinator must fix; `str()` gives the `file:line: message` form."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ParsedFile:
    path: Path
    raw: Any
    model: Any


def _describe(loc: tuple, error_type: str, ctx: dict) -> str:
    field = next((str(step) for step in reversed(loc) if isinstance(step, str)), "")
    name = FIELD_NAMES.get(field, field)
    if error_type == "value_error.missing":
        return f'{name} saknas här. Lägg till raden "{field}: ...".'
    if error_type == "value_error.extra":
        return f'fältet "{field}" känns inte igen. Kolla stavningen, eller ta bort raden.'
    if error_type == "type_error.list":
        return f'{name} ska vara en lista: en rad per sak, som börjar med "- ".'
    if error_type in ("type_error.str", "type_error.dict"):
        return f"{name} har fel form. Jämför med ett annat ämne i samma fil."
    if error_type == "value_error.any_str.max_length" and field == "title":
        return f"rubriken är för lång. Den får vara högst {TITLE_MAX} tecken, för den blir en knapp."
    if error_type == "value_error.any_str.max_length" and field == "id":
        return f"id är för långt. Det får vara högst {ID_MAX} tecken, för det följer med knapparna i Telegram."
    if error_type in ("value_error.any_str.min_length", "type_error.none.not_allowed"):
        return f"{name} är tom. Skriv en text, eller ta bort raden."
    if error_type == "value_error.str.regex":
        return f"{name} får bara ha små bokstäver a-z, siffror och _ (mönster {ID_PATTERN})."
    if error_type.startswith(("value_error.date", "type_error.date")):
        return f"{name} ska vara ett datum, till exempel 2026-11-23."
    if error_type == "value_error.const":
        allowed = " eller ".join(str(value) for value in ctx.get("permitted", ()))
        return f"{name} ska vara {allowed}."
    if error_type == "value_error" and field == "items":
        return "filen har inga ämnen under items."
    return f"{name}: {ctx or error_type}"


def _parse(path: Path, model: type) -> tuple[ParsedFile | None, list[Problem]]:
    try:
        raw = yaml_lines.load(path)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(path, line, _yaml_advice(error))]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, f"filen går inte att läsa som YAML ({error}).")]
    if not isinstance(raw, dict):
        return None, [Problem(path, 1, "filen är tom eller har fel form. Jämför med en annan fil.")]
    try:
        return ParsedFile(path, raw, model.parse_obj(raw)), []
    except ValidationError as error:
        problems = [
            Problem(path, yaml_lines.line_of(raw, e["loc"]), _describe(e["loc"], e["type"], e.get("ctx", {})))
            for e in error.errors()
        ]
        return None, problems


def _yaml_advice(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or ""
    if isinstance(error, yaml_lines.DuplicateKeyError):
        return f"samma fält står två gånger ({problem.split(' ', 2)[-1]}). Ta bort det ena."
    if "mapping values are not allowed" in problem:
        return 'ett kolon (:) står mitt i en text. Sätt texten inom citattecken, eller skriv den under ">-".'
    if "found character '\\t'" in problem:
        return "här finns en tabb. Använd mellanslag för att göra indrag."
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "indraget stämmer inte. Raden ska börja lika långt in som raderna bredvid."
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return "ett specialtecken (* & eller \\) ställer till det. Sätt texten inom citattecken."
    return f"filen går inte att läsa som YAML: {problem}. Kolla indrag, kolon och citattecken."


def walk(items: Iterable[Item]) -> Iterator[Item]:
    """Every item with its parts, depth first, in file order."""
    for item in items:
        yield item
        yield from walk(item.parts)


def _id_lines(raw: Any) -> list[tuple[str, int]]:
    """Every `id:` in the raw YAML with its line, in file order (repeats included)."""
    found: list[tuple[str, int]] = []
    if isinstance(raw, yaml_lines.LineDict):
        if isinstance(raw.get("id"), str):
            found.append((raw["id"], raw.key_lines["id"]))
        for value in raw.values():
            found += _id_lines(value)
    elif isinstance(raw, list):
        for value in raw:
            found += _id_lines(value)
    return found


def _placeholder_problems(ui: ParsedFile) -> list[Problem]:
    """A text the code fills in (e.g. a number) must keep its {blanks} and add no others."""
    problems = []
    for key, allowed in ui_text.PLACEHOLDERS.items():
        text = ui.model.strings.get(key)
        if text is None:
            continue
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            used = {"{"}
        if not used <= allowed:
            names = " och ".join(f"{{{name}}}" for name in sorted(allowed))
            line = yaml_lines.line_of(ui.raw, ["strings", key])
            problems.append(Problem(ui.path, line, f'i "{key}" får bara {names} stå inom {{ }}. Skriv dem precis så.'))
    return problems


def check_language(folder: Path) -> tuple[list[ParsedFile], ParsedFile | None, list[Problem]]:
    """Parses one language folder; returns the section files, the ui file and all problems.
    Readability is not checked here (bot.content.readability.problems does, in `bot check`): loading
    content must not need spaCy, which the web server and the Telegram front end do not have."""
    problems: list[Problem] = []
    sections: list[ParsedFile] = []
    ui: ParsedFile | None = None
    if not folder.is_dir():
        return [], None, [Problem(folder, 1, "mappen finns inte.")]
    for path in sorted(p for p in folder.glob("*.yml") if p.name != TERMS_FILE):
        parsed, found = _parse(path, UiFile if path.name == UI_FILE else SectionFile)
        problems += found
        if parsed and path.name == UI_FILE:
            ui = parsed
        elif parsed:
            sections.append(parsed)
    if not sections and not problems:
        problems.append(Problem(folder, 1, "mappen har inga filer med ämnen (items)."))
    if ui is None and not any(p.path.name == UI_FILE for p in problems):
        problems.append(Problem(folder / UI_FILE, 1, "filen ui.yml saknas."))
    if ui is not None:
        missing = sorted(ui_text.ALL - set(ui.model.strings))
        unknown = sorted(set(ui.model.strings) - ui_text.ALL)
        line = yaml_lines.line_of(ui.raw, ["strings"])
        problems += [Problem(ui.path, line, f'texten "{key}" saknas under strings.') for key in missing]
        problems += [
            Problem(
                ui.path,
                yaml_lines.line_of(ui.raw, ["strings", key]),
                f'"{key}" används inte av Hälsolotsen. Kolla stavningen.',
            )
            for key in unknown
        ]
        problems += _placeholder_problems(ui)
    problems += _cross_check(sections)
    return sections, ui, problems


def _cross_check(sections: list[ParsedFile]) -> list[Problem]:
    """Problems that span items or files: ids, references, examples, menu places."""
    first_seen: dict[str, tuple[Path, int]] = {}
    problems = _duplicate_ids(sections, first_seen)
    example_owner: dict[str, str] = {}
    for parsed in sections:
        lines = dict(reversed(_id_lines(parsed.raw)))
        for item in walk(parsed.model.items):
            at = (parsed.path, lines.get(item.id, 1))
            problems += [
                Problem(*at, f'"{item.id}" pekar på "{ref}" under {field}, men det id:t finns inte.')
                for field in ("agencies", "related")
                for ref in getattr(item, field)
                if ref not in first_seen
            ]
            for example in item.examples:
                owner = example_owner.setdefault(example.lower(), item.id)
                if owner != item.id:
                    message = f'exempelfrågan "{example}" finns både i "{owner}" och "{item.id}". Ta bort den ena.'
                    problems.append(Problem(*at, message))
            problems += _national_scope_problems(item, at)
    return problems + _menu_clashes(sections)


def _national_scope_problems(item: Item, at: tuple[Path, int]) -> list[Problem]:
    """A national item must not send people to a service that only some places have."""
    if item.scope != NATIONAL:
        return []
    names = local_services(" ".join([item.title, item.text, *item.steps]))
    if not names:
        return []
    named = ", ".join(f'"{name}"' for name in names)
    message = (
        f'"{item.id}" gäller hela Sverige (scope: national) men nämner {named}, som bara finns på vissa orter. '
        'Skriv orten i scope (till exempel "scope: Malmö stad"), eller "scope: lokal" och säg i texten var det finns. '
        "Eller ta bort ordet från texten."
    )
    return [Problem(*at, message)]


def _shown_texts(raw: Any) -> Iterator[tuple[int, str]]:
    """Every text a reader sees in a raw file, with its line; examples and triggers are never shown."""
    if isinstance(raw, yaml_lines.LineDict):
        for key, value in raw.items():
            if key in ("title", "text") and isinstance(value, str):
                yield raw.key_lines[key], value
            elif key == "steps" and isinstance(value, yaml_lines.LineList):
                yield from (
                    (line, step) for line, step in zip(value.item_lines, value, strict=True) if isinstance(step, str)
                )
            elif key == "strings" and isinstance(value, yaml_lines.LineDict):
                yield from ((value.key_lines[k], text) for k, text in value.items() if isinstance(text, str))
            elif key not in ("examples", "triggers"):
                yield from _shown_texts(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from _shown_texts(value)


def _rtl_number_problems(parsed: ParsedFile) -> list[Problem]:
    """Numbers in groups must be isolated in right-to-left text, or their groups swap places."""
    file_lines = parsed.path.read_text(encoding="utf-8").splitlines()
    problems = []
    for key_line, text in _shown_texts(parsed.raw):
        for number in unisolated_numbers(text):
            found = (n for n in range(key_line, len(file_lines) + 1) if number in file_lines[n - 1])
            message = (
                f'numret "{number}" visas i fel ordning, för texten läses från höger till vänster '
                "(grupperna i numret byter plats). Sätt tecknet U+2066 direkt före numret och U+2069 direkt efter. "
                "Kopiera gärna ett nummer som redan är rätt från en annan rad."
            )
            problems.append(Problem(parsed.path, next(found, key_line), message))
    return problems


def _duplicate_ids(sections: list[ParsedFile], first_seen: dict[str, tuple[Path, int]]) -> list[Problem]:
    problems: list[Problem] = []
    for parsed in sections:
        for node_id, line in _id_lines(parsed.raw):
            if node_id in first_seen:
                path, first_line = first_seen[node_id]
                message = f'id "{node_id}" finns redan i {path}:{first_line}. Varje id måste vara unikt.'
                problems.append(Problem(parsed.path, line, message))
            else:
                first_seen[node_id] = (parsed.path, line)
    return problems


def _menu_clashes(sections: list[ParsedFile]) -> list[Problem]:
    places = Counter(parsed.model.section.menu for parsed in sections if parsed.model.section.menu)
    return [
        Problem(
            parsed.path, yaml_lines.line_of(parsed.raw, ["section", "menu"]), "två avsnitt har samma plats i menyn."
        )
        for parsed in sections
        if parsed.model.section.menu and places[parsed.model.section.menu] > 1
    ]


def check_translation(
    folder: Path, master: list[ParsedFile]
) -> tuple[list[ParsedFile], ParsedFile | None, list[Problem]]:
    """Parses one translation folder against the Swedish master: same files, same ids, same steps.

    A missing translation is not a problem (the assistant shows the Swedish text with a note);
    a translation that does not fit the Swedish one is.
    """
    problems: list[Problem] = []
    files: list[ParsedFile] = []
    ui: ParsedFile | None = None
    right_to_left = is_rtl(folder.name)
    master_by_name = {parsed.path.name: parsed for parsed in master}
    for path in sorted(p for p in folder.glob("*.yml") if p.name != TERMS_FILE):
        parsed, found = _parse(path, TranslatedUiFile if path.name == UI_FILE else TranslatedSectionFile)
        problems += found
        if parsed is None:
            continue
        if right_to_left:
            problems += _rtl_number_problems(parsed)
        if path.name == UI_FILE:
            ui = parsed
            problems += [
                Problem(path, yaml_lines.line_of(parsed.raw, ["strings", key]), f'"{key}" används inte av Hälsolotsen.')
                for key in sorted(set(parsed.model.strings) - ui_text.ALL)
            ]
            problems += _placeholder_problems(parsed)
        elif not (folder.parent / SOURCE_LANGUAGE / path.name).exists():
            problems.append(Problem(path, 1, f"filen finns inte på svenska ({SOURCE_LANGUAGE}/{path.name})."))
        elif path.name in master_by_name:  # else the Swedish file has problems, reported on their own
            files.append(parsed)
            problems += _translation_fits(parsed, master_by_name[path.name])
    return files, ui, problems


def _translation_fits(parsed: ParsedFile, master: ParsedFile) -> list[Problem]:
    swedish = {item.id: item for item in walk(master.model.items)}
    lines = dict(reversed(_id_lines(parsed.raw)))
    problems: list[Problem] = []
    if parsed.model.section.id != master.model.section.id:
        message = f'avsnittet ska ha id "{master.model.section.id}", som på svenska.'
        problems.append(Problem(parsed.path, yaml_lines.line_of(parsed.raw, ["section", "id"]), message))
    for item in walk(parsed.model.items):
        at = (parsed.path, lines.get(item.id, 1))
        original = swedish.get(item.id)
        if original is None:
            problems.append(Problem(*at, f'id "{item.id}" finns inte i den svenska filen. Kolla stavningen.'))
        elif len(item.steps) != len(original.steps):
            message = f'"{item.id}" har {len(item.steps)} steg, men {len(original.steps)} på svenska.'
            problems.append(Problem(*at, message))
    return problems


def nlu_topic_problems(nlu_folder: Path, item_ids: set[str]) -> list[Problem]:
    """Topic intents in the NLU data (`ask_<id>`) must name an item that exists."""
    problems: list[Problem] = []
    for path in sorted(nlu_folder.glob("*.yml")):
        try:
            raw = yaml_lines.load(path)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(Problem(path, mark.line + 1 if mark else 1, "filen går inte att läsa som YAML."))
            continue
        for index, block in enumerate((raw or {}).get("nlu") or []):
            intent = block.get("intent", "") if isinstance(block, dict) else ""
            item_id = item_of_intent(intent)
            if item_id is not None and item_id not in item_ids:
                problems.append(
                    Problem(
                        path,
                        yaml_lines.line_of(raw, ["nlu", index]),
                        f'avsikten "{intent}" pekar på ett id som inte finns i innehållet.',
                    )
                )
    return problems


def example_trigger_problems(root: Path, urgent_item: Callable[[str], str | None]) -> list[Problem]:
    """An example question that contains another item's emergency trigger can never reach its own
    item: the trigger answers first, whatever the model learned (a Somali "I was beaten in the
    street" under Brottsofferjouren got the answer on violence at home). The emergency items' own
    examples are left alone: each of them opens with 112."""
    problems: list[Problem] = []
    for path in sorted(root.glob("*/*.yml")):
        try:
            raw = yaml_lines.load(path)
        except yaml.YAMLError:
            continue  # load() has reported it already
        for item in _raw_items(raw.get("items") if isinstance(raw, dict) else None):
            examples = item.get("examples")
            if item.get("triggers") or not isinstance(examples, yaml_lines.LineList):
                continue
            for question, line in zip(examples, examples.item_lines, strict=True):
                answered_by = urgent_item(str(question))
                if answered_by is not None and answered_by != item.get("id"):
                    message = (
                        f'frågan "{question}" hos "{item.get("id")}" får alltid svaret "{answered_by}", för den har '
                        f"ett larmord för akut fara. Skriv frågan med andra ord, eller ta bort den."
                    )
                    problems.append(Problem(path, line, message))
    return problems


def _raw_items(raw: Any) -> Iterator[dict]:
    """Every item and part of a raw content file, as read with line numbers."""
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            yield item
            yield from _raw_items(item.get("parts"))
