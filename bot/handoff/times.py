"""Proposed and booked times as a participant reads them, in their language (Babel's CLDR data).

Times are Swedish local time, as the coordinator wrote them; the participant lives in Sweden too.
"""

from __future__ import annotations

import datetime as dt

from babel.core import UnknownLocaleError
from babel.dates import format_datetime

LOCALES = {"sv": "sv_SE", "ar": "ar", "ti": "ti", "so": "so"}


def spoken(when: dt.datetime, lang: str) -> str:
    """E.g. "tisdag 2 december 10:00"; day and month names in the participant's language."""
    try:
        return format_datetime(when, "EEEE d MMMM HH:mm", locale=LOCALES.get(lang, "sv_SE"))
    except UnknownLocaleError:
        return format_datetime(when, "EEEE d MMMM HH:mm", locale="sv_SE")
