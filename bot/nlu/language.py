"""Which of our languages a message is written in, from the message alone.

Script decides first: a script only one of our languages uses (bot.languages: Ethiopic for
Tigrinya, Arabic for Arabic) tells the language; Swedish loanwords inside them are Latin. Latin
text is told apart by the offline library lingua from character n-grams, among the Latin-script
languages of the table that lingua knows (by their English name).
It also knows English, which learners mix in ("sick today"): English tells us nothing about
which of our languages to answer in, so it counts as undecided. Arabic and Tigrinya typed in
Latin letters (Arabizi, "selam kemey aleka") are told by word lists before lingua looks.
Agency and benefit names are Swedish in every language ("waa maxay Försäkringskassan"), so they
are left out before lingua looks. Messages too short to say anything ("ok", "112", a button tap)
return None: the conversation keeps its language.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from bot.languages import LANGUAGES as TABLE
from bot.nlu import other_languages
from bot.nlu.normalize import fold
from bot.settings import MAX_MESSAGE_CHARS

ARABIC, SOMALI, TIGRINYA = "ar", "so", "ti"  # the languages with rules of their own below
LATIN = "Latn"
SCRIPT_BLOCKS = {  # ISO 15924 code → Unicode blocks of its letters
    "Ethi": ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    "Arab": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFEFF)),
}

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

# Tigrinya in Latin letters, as some Eritreans type it on phones without a Ge'ez keyboard
# ("selam kemey aleka", "hakim kndey ykefel"). lingua has no Tigrinya and takes most of these
# words for Somali, so without this list such a participant was answered in Somali. Everyday
# words only; none occurs in our Somali, Swedish or Arabic training data (checked). The second
# line: words of three or more Latin-script examples in data/nlu/ti.yml and none of the others
# (read through: no fillers, English or Arabic words), with "gualey" and "hzi".
LATIN_TIGRINYA_WORDS = frozenset(
    """
    kemey kemeyla kemeyle aleka aleki alekhi aleku alekum nkulkum hawey haftey dehan dehankun
    yekenyeley yeqenyeley yekenyelay bzuh bejaka bejaki bejakum aykonen ayfal entay iyu eyu diyu
    kndey kendey yebleyn aleni alewni genzeb abey dqas qolay dekey deqey sebeyti ygebru ydli yedli
    tsebuq hamimey yirkeb yrkeb qotsera targwami kmewt kedamay qanza resni sebeayey
    wedey gualey gzie ngber hji hzi delye kgebr mesel dika mealti yhmmeni lomi hmum
    """.split()
)


def _is_arabizi_word(word: str) -> bool:
    return bool(_ARABIZI_DIGIT_WORD.match(word)) or word in ARABIZI_WORDS


def _written_in(words: list[str], signal: list[bool]) -> bool:
    """Two signal words, or one in a message of one or two words whose other word is not clearly
    Somali ("shukran walaal" is a Somali speaker's thanks)."""
    if sum(signal) >= 2:
        return True
    if sum(signal) == 0 or len(words) > 2:
        return False
    others = [word for word, marked in zip(words, signal, strict=True) if not marked]
    return not any(_confidences(word)[Language.SOMALI] >= MIN_SOMALI_WORD for word in others)


def _latin_language(words: list[str]) -> str | None:
    """Arabic or Tigrinya written in Latin letters, whichever has more signal words ("ana" is
    "I" in both: a tie goes to Arabic, the larger group); None for neither."""
    arabic = [_is_arabizi_word(word) for word in words]
    tigrinya = [word in LATIN_TIGRINYA_WORDS for word in words]
    if sum(tigrinya) > sum(arabic) and _written_in(words, tigrinya):
        return TIGRINYA
    return ARABIC if _written_in(words, arabic) else None


@lru_cache(maxsize=1)
def _script_languages() -> dict[str, str]:
    """Script → language code, for the non-Latin scripts exactly one language of the table uses."""
    users: dict[str, list[str]] = {}
    for row in TABLE.values():
        users.setdefault(row.script, []).append(row.code)
    return {script: codes[0] for script, codes in users.items() if script in SCRIPT_BLOCKS and len(codes) == 1}


def _language_of_letter(char: str) -> str | None:
    if not unicodedata.category(char).startswith("L"):
        return None
    code = ord(char)
    for script, language in _script_languages().items():
        if any(start <= code <= end for start, end in SCRIPT_BLOCKS[script]):
            return language
    return None


@lru_cache(maxsize=1)
def _latin_languages() -> dict[str, Language]:
    """Our Latin-script languages that lingua knows, code → lingua's language."""
    found = {row.code: getattr(Language, row.english.upper(), None) for row in TABLE.values() if row.script == LATIN}
    return {code: lingua for code, lingua in found.items() if lingua is not None}


@lru_cache(maxsize=1)
def _latin_detector() -> LanguageDetector:
    languages = (*_latin_languages().values(), Language.ENGLISH)
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def detect(text: str) -> str | None:
    """A code of bot.languages (`sv`, `ar`, `ti`, `so`); None when the message is too short or unclear."""
    if text.startswith("/"):
        return None  # a button payload, not words
    # The start tells the language as well as the whole; lingua took 4 s over one 100 kB word.
    text = text[:MAX_MESSAGE_CHARS]
    if other_languages.detect(text):
        return None  # Persian is not Arabic, Amharic not Tigrinya: keep the conversation's language
    counts = Counter(filter(None, map(_language_of_letter, text)))
    if counts and max(counts.values()) >= MIN_SCRIPT_LETTERS:
        return max(counts, key=counts.__getitem__)
    words = [word for word in fold(text).split() if word not in SHARED_SWEDISH_WORDS and not word.isdigit()]
    if latin := _latin_language(words):
        return latin
    if sum(len(word) for word in words) < MIN_LATIN_LETTERS:
        return None
    if len(words) > 1 and (somali := _somali_looking(words)):
        words = [word for word in words if word not in somali]
        if _mostly_somali(len(somali), words):
            return SOMALI  # Somali speakers use Swedish words; Swedish speakers hardly use Somali ones
    values = _confidences(" ".join(words))
    if max(values, key=values.__getitem__) == Language.ENGLISH:
        return None
    ours = {code: values[lingua] for code, lingua in _latin_languages().items()}
    best = max(ours, key=ours.__getitem__)
    needed = MIN_CONFIDENCE_ONE_WORD if len(words) == 1 else MIN_CONFIDENCE
    return best if ours[best] >= needed * sum(ours.values()) else None


def _somali_looking(words: list[str]) -> list[str]:
    return [word for word in words if _confidences(word)[Language.SOMALI] >= MIN_SOMALI_WORD]


def _mostly_somali(somali_words: int, rest: list[str]) -> bool:
    """Somali, unless the Somali-looking words are fewer than one in four and the rest is Swedish.

    Somali speakers mix in Swedish benefit and agency names ("waa maxay forsakringskassan"), but one
    unknown name or place in a Swedish sentence ("hur förnyar jag mitt körkort i Husie") must not
    switch the conversation to Somali: then the rest decides. Single Swedish words are weak
    evidence once folded ("hur", "fornyar"), so the rest is judged as a whole, Swedish against
    Somali: English in it (an e-mail address, "example com") once outweighed a plain Swedish
    sentence's 0.67 and made it Somali (41 of 3,000 "Jag heter Anna <random name>, hur förnyar jag
    mitt körkort? Maila anna.zqx@example.com").
    """
    if 3 * somali_words >= len(rest):
        return True
    values = _confidences(" ".join(rest))
    return values[Language.SWEDISH] < MIN_CONFIDENCE * (values[Language.SWEDISH] + values[Language.SOMALI])


def is_arabizi(text: str) -> bool:
    """Arabic written in Latin letters only ("ana mareed", "3andi wja3")."""
    if any(_language_of_letter(letter) for letter in text):
        return False
    return _latin_language([word for word in fold(text).split() if word not in SHARED_SWEDISH_WORDS]) == ARABIC


def _confidences(text: str) -> dict[Language, float]:
    return {v.language: v.value for v in _latin_detector().compute_language_confidence_values(text)}
