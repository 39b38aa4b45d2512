"""The shape of the content YAML that coordinators edit, as pydantic models.

Pydantic (pinned at 1.10 by Rasa) gives us typed objects for the rest of the code and precise
error locations; `content_check` turns those locations into file:line messages in Swedish.
"""

from __future__ import annotations

import datetime
from typing import Dict, List, Literal

from pydantic import BaseModel, Extra, conint, constr, validator

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
TITLE_MAX = 40
# An id travels inside button data; Telegram allows 64 bytes there, e.g. /show{"item":"<id>","language":"sv"}.
ID_MAX = 30

Id = constr(regex=ID_PATTERN, max_length=ID_MAX)
Text = constr(strip_whitespace=True, min_length=1)


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class _Readable(_Strict):
    """What a reader sees of an item in any language, and the words that find it."""

    id: Id
    title: constr(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)
    text: Text
    steps: List[Text] = []
    examples: List[Text] = []
    triggers: List[Text] = []
    not_triggers: List[Text] = []  # harmless phrases that contain a trigger ("brinner i halsen")


class Item(_Readable):
    """One answer: a lesson, a part of a lesson, an agency or a common situation."""

    agencies: List[Id] = []
    related: List[Id] = []
    source: Text | List[Text]
    # The date a person checked the facts against `source`; left out while the item is a draft.
    reviewed: datetime.date | None = None
    # The date the Swedish text last changed; translations older than this are out of date.
    changed: datetime.date | None = None
    scope: Text
    parts: List[Item] = []

    @property
    def sources(self) -> List[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)

    @property
    def last_change(self) -> datetime.date | None:
        """When the Swedish text or its facts last moved: a translation must be at least this new."""
        return max((d for d in (self.reviewed, self.changed) if d is not None), default=None)


Item.update_forward_refs()


class Section(_Strict):
    """A group of items; the sections with a `menu` place make up the main menu."""

    id: Id
    title: constr(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)
    text: Text
    menu: conint(ge=1) | None = None


class SectionFile(_Strict):
    section: Section
    items: List[Item]

    @validator("items")
    def _not_empty(cls, items: List[Item]) -> List[Item]:  # noqa: N805 - pydantic validator
        if not items:
            raise ValueError("empty")
        return items


class UiFile(_Strict):
    """`ui.yml`: short interface texts, keyed by names the code uses."""

    strings: dict[Id, Text]
    source: Text
    reviewed: datetime.date


class Translation(_Strict):
    """Who translated or reviewed a text, and when; only people change `status` to reviewed."""

    status: Literal["draft", "reviewed"]
    by: Text
    date: datetime.date


class TranslatedItem(_Readable):
    """What a reader sees of an item in another language; facts and links come from Swedish."""

    translation: Translation
    parts: List[TranslatedItem] = []


TranslatedItem.update_forward_refs()


class TranslatedSection(_Strict):
    id: Id
    title: constr(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)
    text: Text
    translation: Translation


class TranslatedSectionFile(_Strict):
    section: TranslatedSection
    items: List[TranslatedItem]


class TranslatedUiFile(_Strict):
    strings: dict[Id, Text]
    translation: Translation


class TermsFile(_Strict):
    """`content/<lang>/terms.yml`: the words people use for each item (bot.content.terms)."""

    terms: Dict[str, List[constr(strip_whitespace=True, min_length=1, max_length=60)]]
