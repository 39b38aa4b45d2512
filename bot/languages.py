"""The languages Hälsolotsen speaks: one row each. Adding a language is a row here, a content
folder `content/<code>/` and its training data `data/nlu/<code>.yml`; every part reads this table.

Only the standard library is imported: every process (Rasa, actions, web, Telegram) reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

RTL, LTR = "rtl", "ltr"
GTTS, ESPEAK = "gtts", "espeak-ng"  # the speech engines of bot.audio.speech


@dataclass(frozen=True)
class Language:
    """One language and what each part of the assistant needs to know about it."""

    code: str  # ISO 639-1; names the content folder, the NLU file, button payloads and slots
    english: str  # also lingua's name for it (bot.nlu.language tells Latin-script languages apart)
    swedish: str  # as the coordinators' pages name it
    endonym: str  # its own name: the language buttons, so someone who reads only it finds it
    direction: str  # RTL or LTR: the `dir` of every message and page in it
    locale: str  # Babel (CLDR) locale for day and month names in proposed times
    script: str  # ISO 15924: a script only one of our languages uses tells the language
    speech: tuple[str, ...] = ()  # engines that speak it; without one, only human recordings


LANGUAGES: dict[str, Language] = {
    row.code: row
    for row in (
        Language("sv", "Swedish", "svenska", "Svenska", LTR, "sv_SE", "Latn", (GTTS, ESPEAK)),
        Language("ar", "Arabic", "arabiska", "العربية", RTL, "ar", "Arab", (GTTS, ESPEAK)),
        Language("ti", "Tigrinya", "tigrinja", "ትግርኛ", LTR, "ti_ER", "Ethi"),
        Language("so", "Somali", "somaliska", "Soomaali", LTR, "so_SO", "Latn"),
    )
}
SOURCE_LANGUAGE = "sv"  # the master: it decides which items exist; anything untranslated is shown in it


def codes() -> tuple[str, ...]:
    """Every language code, the source language first, in the table's order."""
    return tuple(LANGUAGES)


def direction(code: str) -> str:
    """`rtl` or `ltr`; a code we do not know is read left to right."""
    language = LANGUAGES.get(code)
    return language.direction if language else LTR


def is_rtl(code: str) -> bool:
    return direction(code) == RTL


def swedish_name(code: str) -> str:
    """The name coordinators read ("arabiska"); the code itself for a language no longer in the table."""
    language = LANGUAGES.get(code)
    return language.swedish if language else code


def coordinator_name(code: str) -> str:
    """The Swedish name with the language's own beside it when that reads differently: "arabiska (العربية)"."""
    language = LANGUAGES[code]
    own = language.endonym
    return language.swedish if own.lower() == language.swedish else f"{language.swedish} ({own})"


def spoken_by(engine: str) -> frozenset[str]:
    """The codes a speech engine speaks."""
    return frozenset(code for code, language in LANGUAGES.items() if engine in language.speech)
