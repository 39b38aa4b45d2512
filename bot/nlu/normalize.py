"""Text folding that makes the spellings people use interchangeably compare equal.

Used on both sides of every comparison: NLU training data and messages (through the tokenizer in
`bot.nlu.tokenizer`), and emergency trigger phrases and messages. Folding only ever merges
spellings; it never changes which language or word a text is.
- Swedish typed on foreign keyboards loses å/ä/ö ("vardcentral"): Latin diacritics are dropped.
- Arabic is written with or without short vowels (harakat) and tatweel (ـ), and with several
  forms of alef, alef maqsura for ya and ta marbuta for ha: all folded to the plain form.
- Tigrinya writers use ሀ/ሐ/ኀ, ሰ/ሠ, ጸ/ፀ and አ/ዐ interchangeably: each series (all seven vowel
  orders) folds to the first.
- Arabic keyboards type Arabic-Indic digits (١١٢, Persian ones ۱۱۲ too): folded to 0–9, so "١١٢"
  is 112 to the model and to the triggers.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_ARABIC_DIGITS = str.maketrans({**{0x0660 + d: str(d) for d in range(10)}, **{0x06F0 + d: str(d) for d in range(10)}})


def _geez_series(source: int, target: int, orders: int = 8) -> dict[int, int]:
    return {source + order: target + order for order in range(orders)}


_GEEZ_VARIANTS = {
    **_geez_series(0x1210, 0x1200),  # ሐ… → ሀ…
    **_geez_series(0x1280, 0x1200),  # ኀ… → ሀ…
    **_geez_series(0x1220, 0x1230),  # ሠ… → ሰ…
    **_geez_series(0x1340, 0x1338),  # ፀ… → ጸ…
    **_geez_series(0x12D0, 0x12A0, orders=7),  # ዐ… → አ…
}


def _is_latin_mark(char: str) -> bool:
    # Combining marks U+0300–U+036F are the Latin diacritics (å, ä, ö, é…).
    return "\u0300" <= char <= "\u036f"


def normalize(text: str) -> str:
    """Folds spelling variants but keeps words and punctuation (for the NLU tokenizer)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not _is_latin_mark(char))
    text = unicodedata.normalize("NFC", text)
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).translate(_ARABIC_DIGITS)
    return text.translate(_GEEZ_VARIANTS)


def fold(text: str) -> str:
    """`normalize`, then words separated by single spaces (for phrase matching)."""
    return _NON_WORD.sub(" ", normalize(text)).strip()


_ARABIC_CONJUNCTION = re.compile(r"(?<!\S)[وف](?=[\u0621-\u064a]{2})")


def without_arabic_conjunctions(folded: str) -> str:
    """Drops the "and"/"so" (و، ف) that Arabic writes joined to the next word ("ولا يتنفس").

    Only for matching phrases: it is tried next to the text as written, because some words
    begin with these letters themselves.
    """
    return _ARABIC_CONJUNCTION.sub("", folded)


def contains_phrase(folded_text: str, folded_phrase: str) -> bool:
    """Whether the phrase occurs as whole words in the text (both already folded)."""
    return bool(folded_phrase) and f" {folded_phrase} " in f" {folded_text} "
