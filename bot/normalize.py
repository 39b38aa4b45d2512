"""Text folding shared by trigger matching and NLU, so that learners' spellings still match.

People type Swedish without å/ä/ö on foreign keyboards ("vardcentral"), in any case, with
stray punctuation. Folding both the message and the phrase we look for makes them comparable.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, Latin letters without diacritics, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not _is_latin_mark(ch))
    text = unicodedata.normalize("NFC", text)
    return _NON_WORD.sub(" ", text).strip()


def _is_latin_mark(mark: str) -> bool:
    # Combining marks in U+0300–U+036F are the Latin diacritics (å, ä, ö, é…); Arabic and
    # Ethiopic marks live elsewhere and carry meaning, so they are kept.
    return "\u0300" <= mark <= "\u036f"


def contains_phrase(folded_text: str, folded_phrase: str) -> bool:
    """Whether the phrase occurs as whole words in the text (both already folded)."""
    return bool(folded_phrase) and f" {folded_phrase} " in f" {folded_text} "
