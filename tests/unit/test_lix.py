"""The editor's LIX (bot.content.lix, no spaCy, for the web server) against `bot check`'s
(bot.content.readability, spaCy's tokenizer) on every Swedish item of the real content: within one
point, and the same verdict against the limit, so what the editor shows while typing is what
`bot check` will say."""

from __future__ import annotations

from bot.content import lix, readability
from bot.content.store import load
from bot.settings import CONTENT_DIR

CLOSE_ENOUGH = 1.5
HARD = (
    "Försäkringskassans handläggningstider för bostadsbidragsansökningar varierar beroende på "
    "ärendets komplexitet, inkomstuppgifternas fullständighet och eventuella kompletteringsbehov."
)


def test_the_editors_lix_is_bot_checks_lix_on_every_swedish_item() -> None:
    content = load(CONTENT_DIR)
    for item in content.items.values():
        text = lix.as_sentences(item.text, item.steps)
        spacy_score, plain_score = readability.lix(text), lix.lix(text)
        assert abs(spacy_score - plain_score) <= CLOSE_ENOUGH, (item.id, spacy_score, plain_score)
        assert (spacy_score > lix.LIX_LIMIT) == (plain_score > lix.LIX_LIMIT), item.id


def test_a_long_officials_sentence_is_over_the_limit_in_both() -> None:
    assert lix.lix(HARD) > lix.LIX_LIMIT
    assert abs(lix.lix(HARD) - readability.lix(HARD)) <= CLOSE_ENOUGH
    assert lix.lix("") == 0.0
