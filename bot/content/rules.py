"""Content rules that protect a participant, beyond the shape of the YAML.

Two mistakes a coordinator cannot see in an editor, so the check catches them:

- A phone number with groups ("020-50 50 50", "114 14") inside right-to-left text. The Unicode
  bidi algorithm lays the groups out right to left, so Telegram and the widget show "50 50 50-020"
  and "14 114": a wrong number in an emergency. Wrapped in LRI (U+2066) ... PDI (U+2069) the
  number is laid out left to right as one piece, whatever the text around it.
- An item marked `scope: national` that names a service only some places have (the coordinator,
  the hälsosamtal, a named kommun or region). A participant elsewhere would look for help that
  does not exist where they live.
"""

from __future__ import annotations

import re

LRI, PDI = "\u2066", "\u2069"
NATIONAL = "national"

_ISOLATED = re.compile(f"{LRI}[^{LRI}{PDI}]*{PDI}")
# Digits in two or more groups, joined by a space (also no-break) or by a dash or slash.
_MULTI_GROUP_NUMBER = re.compile(r"\d+(?:(?:[ \u00a0\u202f]|[ \u00a0]?[-\u2010\u2011\u2013/][ \u00a0]?)\d+)+")

# Services that exist only where a kommun, region or project offers them.
_LOCAL_WORDS = re.compile(r"\b(koordinator\w*|hälsosamtal\w*|samordningsförbund\w*)", re.IGNORECASE)
# A named kommun or region: "Malmö stad", "Gävle kommun", "Region Skåne" (not "din kommun").
_NOT_A_NAME = "(?!(?:Din|Er|Varje|Samma|Annan|Hela|En|Vilken) )"
_NAMED_PLACE = re.compile(rf"\b(?:Region [A-ZÅÄÖ][a-zåäö]+|{_NOT_A_NAME}[A-ZÅÄÖ][a-zåäö]+s? (?:kommun|stad))\b")


def unisolated_numbers(text: str) -> list[str]:
    """Numbers with two or more groups that are not inside LRI ... PDI, in text order."""
    outside = _ISOLATED.sub(" ", text)
    return [match.group() for match in _MULTI_GROUP_NUMBER.finditer(outside)]


def local_services(text: str) -> list[str]:
    """Names of local services or named places in a text, without repeats (in any case)."""
    found = [m.group() for m in _LOCAL_WORDS.finditer(text)] + [m.group() for m in _NAMED_PLACE.finditer(text)]
    first: dict[str, str] = {}
    for name in found:
        first.setdefault(name.casefold(), name)
    return list(first.values())
