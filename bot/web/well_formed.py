"""Text from outside, made safe to store and pass on: no lone surrogates.

JSON may carry half of a UTF-16 surrogate pair as an escape (`"\\ud83d"`): a phone or a page that
cut a text in the middle of an emoji sends one. Python reads it into a str that cannot be written
as UTF-8, so SQLite, Argon2 and hashing fail on it; the hostile-input run found 500s from each.
A participant's or coordinator's text keeps every other character and gets U+FFFD (the mark for a
lost character) in place of the half; an id, user name or password with one is refused.
"""

from __future__ import annotations

import re

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def repaired(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD."""
    return LONE_SURROGATE.sub(REPLACEMENT, text)


def is_well_formed(text: str) -> bool:
    """True if the text can be written as UTF-8 (it has no lone surrogate)."""
    return LONE_SURROGATE.search(text) is None
