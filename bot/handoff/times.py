"""Proposed and booked times as a participant reads them, in their language (Babel's CLDR data).

Times are Swedish local time, as the coordinator wrote them; the participant lives in Sweden too.
"""

from __future__ import annotations

import datetime as dt

from babel.core import UnknownLocaleError
from babel.dates import format_datetime

from bot.languages import LANGUAGES, SOURCE_LANGUAGE


def spoken(when: dt.datetime, lang: str) -> str:
    """E.g. "tisdag 2 december 10:00"; day and month names in the participant's language."""
    swedish = LANGUAGES[SOURCE_LANGUAGE].locale
    locale = LANGUAGES[lang].locale if lang in LANGUAGES else swedish
    try:
        return format_datetime(when, "EEEE d MMMM HH:mm", locale=locale)
    except UnknownLocaleError:
        return format_datetime(when, "EEEE d MMMM HH:mm", locale=swedish)
