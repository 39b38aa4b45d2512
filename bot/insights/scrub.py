"""Takes personal data out of a question before it is stored for coordinators.

Participants never agreed to have their words kept, so only what helps content work may stay:
what they asked about, not who they are or how to reach them. Replaced, in this order:
- personnummer and samordningsnummer: YYMMDD-XXXX and YYYYMMDD-XXXX, and without the dash when
  the date and the check digit fit (else ten digits are more likely a phone number);
- e-mail addresses;
- phone numbers, Swedish and international, as Google's libphonenumber finds them (`phonenumbers`,
  lenient, so a number need not be a real one to be found; Arabic-Indic digits too);
- any other run of five or more digits (postal codes, case, card and account numbers);
- names right after a self-introduction ("jag heter", "mitt namn är", "my name is", "اسمي",
  "ስመይ", "magacaygu waa"): the next word, and the capitalised words after it (four words in
  all), or in Arabic and Ge'ez script, which have no capitals, the next two words.
A name elsewhere ("hej, det är Anna"), a street address or a rare illness can still identify
someone; this is why the text is also cut to MAX_CHARS, kept per day and language only, never
with the conversation, and deleted after the retention period.
"""

from __future__ import annotations

import re

import phonenumbers

MAX_CHARS = 300
MAX_NAME_WORDS = 4  # Somali names: own, father's, grandfather's, and a family name
UNCASED_NAME_WORDS = 2  # Arabic and Ge'ez names: first name and father's name

PHONE = "[telefon]"
EMAIL = "[e-post]"
IDENTITY_NUMBER = "[personnummer]"
NUMBER = "[nummer]"
NAME = "[namn]"
PLACEHOLDERS = (PHONE, EMAIL, IDENTITY_NUMBER, NUMBER, NAME)

_IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?(\d{6})([-+]?)(\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN = re.compile(r"\d(?:[ .\-/]?\d){4,}")
_NAME_INTRO = re.compile(
    r"(?<!\w)(?:jag heter|mitt namn (?:är|ar)|my name is|magacayg(?:u|a) waa|magacaygu|و?[اإ]سمي|ስመይ)(?!\w)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")
_PUNCTUATION = ".!?,;:،؟።፣፧"


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _identity_number(match: re.Match) -> str:
    """IDENTITY_NUMBER for a written personnummer; digits alone only with a real date and check digit."""
    date, separator, tail = match.groups()
    month, day = int(date[2:4]), int(date[4:6])
    if separator or (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91) and _luhn(date + tail)):
        return IDENTITY_NUMBER
    return match.group()


def _phones(text: str) -> str:
    """Every phone number as PHONE; the region only decides how numbers without +46 are read."""
    found = phonenumbers.PhoneNumberMatcher(text, "SE", leniency=phonenumbers.Leniency.POSSIBLE)
    pieces, end = [], 0
    for match in found:
        pieces += [text[end : match.start], PHONE]
        end = match.end
    return "".join([*pieces, text[end:]])


def _is_name_word(word: str, position: int) -> bool:
    """The first word after "jag heter" is the name whatever its case ("jag heter anna"); then
    capitalised words, or in scripts without capitals up to UNCASED_NAME_WORDS words in all."""
    letters = word.lstrip("\"'«“(")
    if not letters or not letters[0].isalpha():
        return False
    if position == 0:
        return True
    if letters[0].isupper() or letters[0].islower():
        return letters[0].isupper() and position < MAX_NAME_WORDS
    return position < UNCASED_NAME_WORDS


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Where the names after self-introductions are; a name ends at punctuation (", jag undrar")."""
    spans = []
    for intro in _NAME_INTRO.finditer(text):
        for position, word in enumerate(_WORD.finditer(text, intro.end())):
            if not _is_name_word(word.group(), position):
                break
            spans.append((word.start(), word.start() + len(word.group().rstrip(_PUNCTUATION))))
            if word.group()[-1] in _PUNCTUATION:
                break
    return spans


def _names(text: str) -> str:
    """Each name as NAME; a first name and surname together become one NAME."""
    pieces, end = [], 0
    for start, stop in _name_spans(text):
        if pieces and not text[end:start].strip():
            end = stop
            continue
        pieces += [text[end:start], NAME]
        end = stop
    return "".join([*pieces, text[end:]])


def scrub(text: str) -> str:
    """The question with personal data replaced by placeholders, cut to MAX_CHARS."""
    text = _IDENTITY_NUMBER.sub(_identity_number, " ".join(text.split()))
    text = _EMAIL.sub(EMAIL, text)
    text = _DIGIT_RUN.sub(NUMBER, _phones(text))
    text = _names(text)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def worth_keeping(scrubbed: str) -> bool:
    """Whether anything is left to learn from: some letters besides the placeholders."""
    for placeholder in PLACEHOLDERS:
        scrubbed = scrubbed.replace(placeholder, " ")
    return any(char.isalpha() for char in scrubbed)
