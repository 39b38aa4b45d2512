"""Which of our languages a message is written in, from the message alone.

Script decides first: Ethiopic letters mean Tigrinya, Arabic letters mean Arabic (both scripts
are unambiguous among our four languages, and Swedish loanwords inside them are Latin). Latin
text is Swedish or Somali; the offline library lingua tells them apart from character n-grams.
It also knows English, which learners mix in ("sick today"): English tells us nothing about
which of our languages to answer in, so it counts as undecided.
Agency and benefit names are Swedish in every language ("waa maxay Försäkringskassan"), so they
are left out before lingua looks. Messages too short to say anything ("ok", "112", a button tap)
return None: the conversation keeps its language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from bot.nlu import other_languages
from bot.nlu.normalize import fold
from bot.settings import MAX_MESSAGE_CHARS

SWEDISH, ARABIC, TIGRINYA, SOMALI = "sv", "ar", "ti", "so"
LANGUAGES = (SWEDISH, ARABIC, TIGRINYA, SOMALI)

MIN_SCRIPT_LETTERS = 2
MIN_LATIN_LETTERS = 5
MIN_CONFIDENCE_ONE_WORD = 0.95
MIN_CONFIDENCE = 0.7
MIN_SOMALI_WORD = 0.95

# Words participants write in Swedish whatever their language: names on letters and signs.
SHARED_SWEDISH_WORDS = frozenset(
    fold(word)
    for word in """
    arbetsförmedlingen arbetsformedlingen försäkringskassan forsakringskassan försäkringskassa
    kommunen kommun socialtjänsten socialen soc sfi vårdcentralen vårdcentral vardcentral
    vardcentralen regionen region 1177 112 skatteverket migrationsverket kronofogden
    pensionsmyndigheten bankid mina sidor etableringsersättning etableringsersattning sjukpenning
    föräldrapenning foraldrapenning barnbidrag bostadsbidrag ekonomiskt bistånd bistand
    af personnummer tolk tandvården tandvard hälsosamtal halsosamtal koordinator folktandvården
    """.split()
)


# Arabizi: Arabic in Latin letters, with digits for the sounds Latin lacks (3 ع, 7 ح, 2 ء, 5 خ,
# 9 ق/ص, 6 ط, 8 غ) and everyday words of the main dialects. Somali and Swedish never put a digit
# inside a word, and none of these words is Somali or Swedish (checked on our NLU data).
_ARABIZI_DIGIT_WORD = re.compile(r"^(?=.*[a-z])(?=.*[235679])[a-z235679']+$")
ARABIZI_WORDS = frozenset(
    """
    ana enta enti inta inti ente entu intu ehna e7na shu shou sho shlon shlonak shlonech keef kif kifak kifik
    kifek izzay ezay ezzay bdi biddi baddi badde abi abgha 3ayez 3ayz 3awez 3ayza ya3ni mafi mish msh mesh
    3ndi 3andi 3ndy andi marhaba mar7aba mar7ba ahlan shukran shokran shukrn yalla akhi ukhti mareed mareedh
    mareeda 3ayan tabib tbeeb 7aki a7ki e7ki wein wen fein feen lesh leish lysh kteer ktir ktiir
    habibi 7abibi emta imta ba3dein ba3den hada hadi hatha hadha hal2 halla2 hala2 ma3 mn
    wlad wled ibni binti zawji zawjti rajli marti masari flous fulus shoghol shughl madrase madrasa
    el lal bl wl 3al 3la 3ala fi swed aywa la2 kolshi kol kel lazem bidi mnee7 mni7 mniha kwayes
    """.split()
)
# Words shared with Somali or Swedish stay out ("hal", "leh", "bas", "min", "hay", "doktor").


def _is_arabizi(words: list[str]) -> bool:
    """Two signals (a digit inside a word, a word of the list), or one in a message of one or two
    words whose other word is not clearly Somali ("shukran walaal" is a Somali speaker's thanks)."""
    signals = [bool(_ARABIZI_DIGIT_WORD.match(word)) or word in ARABIZI_WORDS for word in words]
    if sum(signals) >= 2:
        return True
    if sum(signals) == 0 or len(words) > 2:
        return False
    others = [word for word, signal in zip(words, signals, strict=True) if not signal]
    return not any(_confidences(word)[Language.SOMALI] >= MIN_SOMALI_WORD for word in others)


def _script_of(char: str) -> str | None:
    code = ord(char)
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF or 0xAB00 <= code <= 0xAB2F:
        return TIGRINYA
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF or 0xFB50 <= code <= 0xFEFF:
        return ARABIC if unicodedata.category(char).startswith("L") else None
    return None


@lru_cache(maxsize=1)
def _latin_detector() -> LanguageDetector:
    languages = (Language.SWEDISH, Language.SOMALI, Language.ENGLISH)
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def detect(text: str) -> str | None:
    """`sv`, `ar`, `ti` or `so`; None when the message is too short or unclear to tell."""
    if text.startswith("/"):
        return None  # a button payload, not words
    # The start tells the language as well as the whole; lingua took 4 s over one 100 kB word.
    text = text[:MAX_MESSAGE_CHARS]
    if other_languages.detect(text):
        return None  # Persian is not Arabic, Amharic not Tigrinya: keep the conversation's language
    counts = {TIGRINYA: 0, ARABIC: 0}
    for char in text:
        script = _script_of(char)
        if script:
            counts[script] += 1
    if max(counts.values()) >= MIN_SCRIPT_LETTERS:
        return max(counts, key=counts.__getitem__)
    words = [word for word in fold(text).split() if word not in SHARED_SWEDISH_WORDS and not word.isdigit()]
    if _is_arabizi(words):
        return ARABIC
    if sum(len(word) for word in words) < MIN_LATIN_LETTERS:
        return None
    if len(words) > 1 and any(_confidences(word)[Language.SOMALI] >= MIN_SOMALI_WORD for word in words):
        return SOMALI  # Somali speakers use Swedish words; Swedish speakers hardly use Somali ones
    values = _confidences(" ".join(words))
    if max(values, key=values.__getitem__) == Language.ENGLISH:
        return None
    ours = {SWEDISH: values[Language.SWEDISH], SOMALI: values[Language.SOMALI]}
    best = max(ours, key=ours.__getitem__)
    needed = MIN_CONFIDENCE_ONE_WORD if len(words) == 1 else MIN_CONFIDENCE
    return best if ours[best] >= needed * sum(ours.values()) else None


def _confidences(text: str) -> dict[Language, float]:
    return {v.language: v.value for v in _latin_detector().compute_language_confidence_values(text)}
