"""The words people use for each item, per language: `content/<lang>/terms.yml`.

Participants name a benefit, an agency or a symptom in their own everyday words ("lacagta
jirada", "فورسكرينغ", "ana mareed"). Coordinators and native communicators list such words per
item; the assistant's retrieval (bot.nlu.retrieval) matches them at once, without retraining.
The file is checked like the rest of the content: ids must exist, every term is short text.
"""

from __future__ import annotations

from pathlib import Path

from bot.content import yaml_lines
from bot.content.check import TERMS_FILE, Problem, _parse
from bot.content.schema import TermsFile


def load_terms(folder: Path, item_ids: set[str]) -> tuple[dict[str, list[str]], list[Problem]]:
    """The folder's terms by item id (empty if it has no terms file) and the problems found."""
    path = folder / TERMS_FILE
    if not path.exists():
        return {}, []
    parsed, problems = _parse(path, TermsFile)
    if parsed is None:
        return {}, problems
    terms: dict[str, list[str]] = {}
    for item_id, words in parsed.model.terms.items():
        if item_id not in item_ids:
            line = yaml_lines.line_of(parsed.raw, ["terms", item_id])
            problems.append(Problem(path, line, f'"{item_id}" finns inte i innehållet. Kolla stavningen.'))
            continue
        terms[item_id] = list(dict.fromkeys(words))
    return terms, problems
