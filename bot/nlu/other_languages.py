"""Languages we do not answer yet, written in the scripts of those we do.

Persian and Dari, Sorani, Pashto and Urdu are written in Arabic script, Amharic in Ge'ez. A
participant who writes them must not be answered in Arabic or Tigrinya as if understood: they get
one short fixed sentence in their own language, and the choice of language (actions/base.py).

Arabic script: the keyboards of these languages type their own letters, which Arabic keyboards do
not have (Persian yeh ی and keheh ک instead of Arabic ي and ك, and each language's additions).
Iraqi and Gulf Arabic borrow پ چ گ, so those three are left out of the evidence. Ge'ez: Amharic
and Tigrinya share the syllabary, so a short list of each one's commonest function words decides,
with the letters only Tigrinya writes counted for Tigrinya.
Both are rules, not a model: lingua knows Persian and Urdu but none of Pashto, Sorani, Amharic or
Tigrinya, and the letters alone answer the question with no false alarm on our Arabic sets.
"""

from __future__ import annotations

import re

PERSIAN, SORANI, PASHTO, URDU, AMHARIC = "fa", "ckb", "ps", "ur", "am"

# Letters only that language's keyboard types (among those we meet): the first match decides.
_LETTERS = (
    (PASHTO, "ټډړږښګڼېۍځ"),
    (SORANI, "ەۆێڵڕ"),
    (URDU, "ےںٹڈڑہ"),
    (PERSIAN, "یک"),  # Persian yeh and keheh; Pashto, Sorani and Urdu have them too, matched above
)
_ARABIC_YEH_KAF = "يك"

_AMHARIC_WORDS = frozenset(
    "ነው ናቸው ነኝ ነህ ነሽ ነበር እንዴት ምንድን ምንድነው ምንድር እፈልጋለሁ እችላለሁ አለብኝ አለኝ የት ይህ ይሄ እኔ "
    "አመሰግናለሁ ታምሜአለሁ ታምሜያለሁ ያመኛል ጤና ይስጥልኝ እባክህ እባክሽ እባክዎ ልጄ ባለቤቴ".split()
)  # not ሀኪም/ሐኪም (doctor): Tigrinya writers spell ሓኪም that way too
_TIGRINYA_WORDS = frozenset(
    "እዩ እየ ኢኻ ኢኺ ኣሎ ኣላ ኣለኒ ኣሎኒ ከመይ እንታይ ደልየ እደሊ ይደሊ ኣበይ ኣነ ክንደይ ሕማም ሓኪም "
    "የቐንየለይ የቐንየልካ ሕጂ ብኸመይ ኣለኹ ኣለዉ ቆልዓይ ሰበይተይ ስለምንታይ እንታይ".split()
)
# Letters and spellings Tigrinya writes and Amharic does not: the ቐ row, a word that begins
# with ኣ (Amharic writes አ), and the question particle ዶ.
_TIGRINYA_ONLY = re.compile(r"[\u1250-\u125d]|^\u12a3|^\u12f6$")
_WORD = re.compile(r"[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]+")

# One short fixed sentence each: "Sorry, I cannot answer in <language> yet. Choose a language."
NOT_SUPPORTED = {
    PERSIAN: "ببخشید، هنوز نمی‌توانم به فارسی جواب بدهم. لطفاً یک زبان انتخاب کنید.",
    SORANI: "ببورە، هێشتا ناتوانم بە کوردی وەڵام بدەمەوە. تکایە زمانێک هەڵبژێرە.",
    PASHTO: "بښنه غواړم، لا نشم کولی په پښتو ځواب درکړم. مهرباني وکړئ یوه ژبه وټاکئ.",
    URDU: "معذرت، میں ابھی اردو میں جواب نہیں دے سکتا۔ براہ کرم ایک زبان منتخب کریں۔",
    AMHARIC: "ይቅርታ፣ እስካሁን በአማርኛ መመለስ አልችልም። እባክዎ ቋንቋ ይምረጡ።",
}


def detect(text: str) -> str | None:
    """The unsupported language of `text` (a key of NOT_SUPPORTED), or None."""
    arabic_script = _arabic_script_language(text)
    if arabic_script:
        return arabic_script
    words = _WORD.findall(text)
    amharic = sum(word in _AMHARIC_WORDS for word in words)
    tigrinya = sum(word in _TIGRINYA_WORDS or bool(_TIGRINYA_ONLY.search(word)) for word in words)
    return AMHARIC if amharic > tigrinya else None


def _arabic_script_language(text: str) -> str | None:
    if any(char in _ARABIC_YEH_KAF for char in text):
        return None  # typed on an Arabic keyboard
    for lang, letters in _LETTERS:
        if any(char in letters for char in text):
            return lang
    return None
