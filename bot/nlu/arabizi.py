"""Arabizi (Arabic in Latin letters and digits) rewritten in Arabic letters, for the encoder.

Many Arabic speakers type "rajli 3am yedrobni" on a phone without an Arabic keyboard. The
n-gram stage learns such spellings from the Arabizi examples in data/nlu; the multilingual
sentence encoder (bot.nlu.encoder) was trained on Arabic script and understands little of
them. Given both the message and this rough Arabic-letter version ("رجلي عم يدروبني"), and
their probabilities averaged, the encoder stage put the right intent first for 61 % of the
held-out Arabizi messages against 47 % from the Latin text alone (BENCHMARKS.md, understanding).

The rewrite is letter by letter: the digits for sounds Latin lacks (3 ع, 7 ح, 2 ء, 5 خ, 6 ط,
9 ق, 8 غ), the usual digraphs (sh ش, kh خ, gh غ, th ث, dh ذ), long vowels as letters and short
ones dropped, as Arabic writes them. It is rough on purpose; the encoder copes with spelling.
Why not a library: the Arabizi packages on PyPI (arabizi, darija-tools, egyptian-arabizi-franco)
each serve one dialect (Moroccan or Egyptian) and are months old, and arabizikit leans on an
LLM; our participants write Levantine, Iraqi, Sudanese and Gulf Arabic.
"""

from __future__ import annotations

DIGRAPHS = (("sh", "ش"), ("kh", "خ"), ("gh", "غ"), ("th", "ث"), ("dh", "ذ"), ("ch", "تش"))
LONG_VOWELS = (("ou", "و"), ("oo", "و"), ("ee", "ي"), ("ei", "ي"), ("ai", "ي"), ("aa", "ا"))
LETTERS = {
    "3": "ع", "7": "ح", "2": "ء", "5": "خ", "6": "ط", "9": "ق", "8": "غ",
    "b": "ب", "t": "ت", "j": "ج", "d": "د", "r": "ر", "z": "ز", "s": "س", "f": "ف", "q": "ق",
    "k": "ك", "l": "ل", "m": "م", "n": "ن", "h": "ه", "w": "و", "y": "ي", "g": "ج", "p": "ب",
    "v": "ف", "x": "كس", "c": "ك", "o": "و", "u": "و", "i": "ي", "e": "", "a": "", "'": "",
}  # fmt: skip
SEQUENCES = DIGRAPHS + LONG_VOWELS


def to_arabic(text: str) -> str:
    """Each Latin word in Arabic letters; anything else (Arabic, Swedish å/ä/ö, emoji) kept."""
    return " ".join(_word(word) for word in text.lower().split())


def _word(word: str) -> str:
    out: list[str] = []
    i = 0
    if word[0] in "aeiou":  # a word's first vowel is written, as alif
        out.append("ا")
        i = 1 if word[0] in "ae" else 0
    while i < len(word):
        sequence = next(((latin, arabic) for latin, arabic in SEQUENCES if word.startswith(latin, i)), None)
        if sequence:
            out.append(sequence[1])
            i += len(sequence[0])
            continue
        letter = word[i]
        last = i == len(word) - 1
        if last and letter == "a":
            out.append("ا")
        elif last and letter == "e":
            out.append("ه")  # "madrase" → مدرسه, the ending many write for ة
        else:
            out.append(LETTERS.get(letter, letter))
        i += 1
    return "".join(out)
