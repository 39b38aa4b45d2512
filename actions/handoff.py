"""The hand-off form: consent first, then a few questions with buttons, then the request.

A Rasa form (domain `handoff_form`) asks; this validation action checks each answer. Every slot
takes the whole message as text (domain mappings), and the answer is read here: a button's
`/choose{"choice": …}`, or words. So nothing a participant writes makes the form stop by
surprise: "cancel", or any other button from earlier in the chat, ends it kindly, and an
emergency is answered first and the question asked again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import phonenumbers
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LANGUAGE_SLOT, content_store, entity_text, send
from bot.accounts import store as accounts
from bot.content import replies, ui_text
from bot.content.store import Content
from bot.handoff import participants, times
from bot.languages import SOURCE_LANGUAGE
from bot.nlu import language
from bot.storage.database import run

FORM = "handoff_form"
SLOTS = (
    "handoff_consent",
    "handoff_name",
    "handoff_interpreter",
    "handoff_municipality",
    "handoff_times",
    "handoff_contact",
    "handoff_phone",
    "handoff_note",
    "handoff_confirm",
)
YES, NO, ENDED = "yes", "no", "ended"
TIME_CHOICES = {
    "morning": ui_text.HANDOFF_TIME_MORNING,
    "afternoon": ui_text.HANDOFF_TIME_AFTERNOON,
    "any": ui_text.HANDOFF_TIME_ANY,
}
CONTACTS = {"chat": ui_text.HANDOFF_CONTACT_CHAT, "phone": ui_text.HANDOFF_CONTACT_PHONE}
NO_NOTE = "-"
MAX_NAME, MAX_MUNICIPALITY, MAX_TIMES, MAX_NOTE = 60, 60, 200, 500
ALTERNATIVE_ITEMS = ["vardguiden_1177", "vardcentral", "akut_112"]
MAX_MUNICIPALITY_BUTTONS = 8
MAX_ID_DIGITS = 9


def _lang(tracker: Tracker) -> str:
    """The conversation's language; for a first message that asks for a person, the message's own
    (before it, the slot is empty, and the consent question came in Swedish to an Arabic request)."""
    return (
        tracker.get_slot(LANGUAGE_SLOT) or language.detect(tracker.latest_message.get("text") or "") or SOURCE_LANGUAGE
    )


def _intent(tracker: Tracker) -> str | None:
    return tracker.latest_message.get("intent", {}).get("name")


def _choice(tracker: Tracker) -> str | None:
    """The value of the button tapped, if the message is a button of this form."""
    if _intent(tracker) != "choose":
        return None
    return entity_text(tracker, "choice")


def _yes_no(tracker: Tracker) -> str | None:
    return _choice(tracker) or {"affirm": YES, "deny": NO}.get(_intent(tracker) or "")


def _words(value: Any, limit: int) -> str | None:
    """Typed text that is neither a button payload, empty, nor too long."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or text.startswith("/") or len(text) > limit or not any(ch.isalpha() for ch in text):
        return None
    return " ".join(text.split())


def _municipality(value: Any, known: list[str]) -> str | None:
    """One of the municipalities some coordinator serves (`known`), tapped or typed in any case.
    Any other value would reach the coordinators' list and their Telegram group as the bot's own
    words (a link, or 5,000 characters that Telegram refuses), so it is asked for again. Only while
    no coordinator names a municipality (none, or only "every municipality") are typed words kept."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if len(text) > MAX_MUNICIPALITY:
        return None
    if known:
        return next((name for name in known if name.casefold() == text.casefold()), None)
    return _words(text, MAX_MUNICIPALITY)


def _ends_form(tracker: Tracker) -> bool:
    """ "Cancel" in words or as a button, or a button from elsewhere (the menu, a topic)."""
    text = tracker.latest_message.get("text") or ""
    return _intent(tracker) == "cancel" or (
        text.startswith("/") and _intent(tracker) not in ("choose", "affirm", "deny")
    )


def _yes_or_no(slot: str) -> Callable[..., dict[str, Any]]:
    """The validator of a yes/no question: a button or an affirm/deny intent, else ask again."""

    def validate(
        self: ValidateHandoffForm, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._kept(dispatcher, tracker, slot, _yes_no(tracker), ui_text.HANDOFF_CHOOSE)

    return validate


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Nothing to ask once ended, refused, confirmed, or if a request is already open; the
        phone number only if they want a call. A slot holds the raw text until validated, so
        only validated answers count here (else the last answer would never be validated)."""
        if tracker.get_slot("handoff_confirm") in (YES, NO, ENDED) or tracker.get_slot("handoff_consent") == NO:
            return []
        if tracker.get_slot("handoff_consent") is None and await run(participants.open_reference, tracker.sender_id):
            return []
        return [
            slot for slot in domain_slots if slot != "handoff_phone" or tracker.get_slot("handoff_contact") == "phone"
        ]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content = content_store().get()
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        urgent = content.urgent_item(text)
        if urgent and requested:
            send(dispatcher, tracker, replies.answer(content, urgent, _lang(tracker)))
            return [SlotSet(requested, None)]
        if requested and _ends_form(tracker):
            return [SlotSet("handoff_confirm", ENDED), SlotSet("requested_slot", None)]
        events = await super().run(dispatcher, tracker, domain)
        if not requested and not tracker.get_slot(LANGUAGE_SLOT):
            events.insert(0, SlotSet(LANGUAGE_SLOT, _lang(tracker)))  # the rest of the form follows it
        return events

    @staticmethod
    def _kept(
        dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, value: str | None, hint: str
    ) -> dict[str, Any]:
        """The slot set to the validated `value`; None (an answer we cannot use) empties the slot,
        so the form asks again, after a hint in the participant's language."""
        if value:
            return {slot: value}
        content, lang = content_store().get(), _lang(tracker)
        send(dispatcher, tracker, [replies.message(replies.ui(content, hint, lang), [], lang)])
        return {slot: None}

    validate_handoff_consent = _yes_or_no("handoff_consent")
    validate_handoff_interpreter = _yes_or_no("handoff_interpreter")
    validate_handoff_confirm = _yes_or_no("handoff_confirm")

    def validate_handoff_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"handoff_name": _words(value, MAX_NAME)}

    async def validate_handoff_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        known = await run(accounts.municipalities)
        return {"handoff_municipality": _municipality(_choice(tracker) or value, known)}

    def validate_handoff_times(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = _choice(tracker)
        return {"handoff_times": choice if choice in TIME_CHOICES else _words(value, MAX_TIMES)}

    def validate_handoff_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = _choice(tracker)
        if choice in CONTACTS:
            return {"handoff_contact": choice}
        phone = _phone(value)
        if phone:
            return {"handoff_contact": "phone", "handoff_phone": phone}
        return self._kept(dispatcher, tracker, "handoff_contact", None, ui_text.HANDOFF_CHOOSE)

    def validate_handoff_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._kept(dispatcher, tracker, "handoff_phone", _phone(value), ui_text.HANDOFF_PHONE_INVALID)

    def validate_handoff_note(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"handoff_note": NO_NOTE if _choice(tracker) == "none" else _words(value, MAX_NOTE)}


def _phone(value: Any) -> str | None:
    """A Swedish or international number that can really exist, in E.164 form; else None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _summary_values(content: Content, tracker: Tracker, lang: str) -> dict[str, str]:
    times = tracker.get_slot("handoff_times")
    contact = content.ui_text(CONTACTS[tracker.get_slot("handoff_contact")], lang)
    if tracker.get_slot("handoff_phone"):
        contact = f"{contact} ({tracker.get_slot('handoff_phone')})"
    return {
        "name": tracker.get_slot("handoff_name"),
        "interpreter": content.ui_text(
            ui_text.BUTTON_YES if tracker.get_slot("handoff_interpreter") == YES else ui_text.BUTTON_NO, lang
        ),
        "municipality": tracker.get_slot("handoff_municipality"),
        "times": content.ui_text(TIME_CHOICES[times], lang) if times in TIME_CHOICES else times,
        "contact": contact,
    }


class AskHandoff(Action, ABC):
    """Asks one question of the form in the participant's language, with its buttons. Abstract,
    so the action server registers only the concrete one per slot below."""

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content, lang = content_store().get(), _lang(tracker)
        send(dispatcher, tracker, [await self.question(content, tracker, lang)])
        return []

    async def question(self, content: Content, tracker: Tracker, lang: str) -> replies.Message:
        yes_no = [(content.ui_text(ui_text.BUTTON_YES, lang), YES), (content.ui_text(ui_text.BUTTON_NO, lang), NO)]
        if self.slot == "handoff_consent":
            consent = replies.question(content, ui_text.HANDOFF_CONSENT, lang, yes_no)
            if participants.channel_of(tracker.sender_id) != "web":
                return consent
            # The web chat reaches them only while the page is open: said first, with the other ways.
            return {**consent, "text": f"{replies.ui(content, ui_text.HANDOFF_WEB_REACH, lang)}\n\n{consent['text']}"}
        if self.slot == "handoff_name":
            return replies.question(content, ui_text.HANDOFF_ASK_NAME, lang, [])
        if self.slot == "handoff_interpreter":
            return replies.question(content, ui_text.HANDOFF_ASK_INTERPRETER, lang, yes_no)
        if self.slot == "handoff_municipality":
            names = (await run(accounts.municipalities))[:MAX_MUNICIPALITY_BUTTONS]
            return replies.question(content, ui_text.HANDOFF_ASK_MUNICIPALITY, lang, [(n, n) for n in names])
        if self.slot == "handoff_times":
            return replies.question(
                content,
                ui_text.HANDOFF_ASK_TIMES,
                lang,
                [(content.ui_text(k, lang), v) for v, k in TIME_CHOICES.items()],
            )
        if self.slot == "handoff_contact":
            return replies.question(
                content, ui_text.HANDOFF_ASK_CONTACT, lang, [(content.ui_text(k, lang), v) for v, k in CONTACTS.items()]
            )
        if self.slot == "handoff_phone":
            return replies.question(content, ui_text.HANDOFF_ASK_PHONE, lang, [])
        if self.slot == "handoff_note":
            return replies.question(
                content, ui_text.HANDOFF_ASK_NOTE, lang, [(content.ui_text(ui_text.BUTTON_NO_MORE, lang), "none")]
            )
        summary = content.ui_text(ui_text.HANDOFF_CONFIRM, lang).format(**_summary_values(content, tracker, lang))
        question = replies.question(content, ui_text.HANDOFF_CONFIRM, lang, yes_no)
        return {**question, "text": summary}


# One ask action per question, named as Rasa expects: action_ask_<slot>. Kept in a dict: the
# action server finds actions as subclasses, which Python holds only weakly.
ASK_ACTIONS = {
    slot: type(f"Ask_{slot}", (AskHandoff,), {"slot": slot, "__module__": __name__, "__doc__": f"Asks for {slot}."})
    for slot in SLOTS
}


class ActionHandoffSubmit(Action):
    """The form is over: store the request if confirmed, and say what happens next (or why not)."""

    def name(self) -> str:
        return "action_handoff_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content, lang = content_store().get(), _lang(tracker)
        consent, confirm = tracker.get_slot("handoff_consent"), tracker.get_slot("handoff_confirm")
        if confirm == YES and (tracker.latest_message.get("metadata") or {}).get(participants.NO_NEW_REQUEST):
            send(
                dispatcher, tracker, replies.notice(content, ui_text.TOO_FAST, lang)
            )  # bot.web.limits: wait, then again
        elif confirm == YES:
            reference = await run(participants.save, self._form(tracker, lang))
            send(dispatcher, tracker, replies.handoff_sent(content, lang, reference))
        elif confirm == ENDED:
            send(dispatcher, tracker, replies.notice(content, ui_text.HANDOFF_CANCELLED, lang))
        elif consent == NO:
            send(
                dispatcher,
                tracker,
                replies.alternatives(content, lang, [i for i in ALTERNATIVE_ITEMS if i in content.items]),
            )
        elif confirm == NO:
            send(dispatcher, tracker, replies.notice(content, ui_text.HANDOFF_NOT_SENT, lang))
        else:
            reference = await run(participants.open_reference, tracker.sender_id)
            text = content.ui_text(ui_text.HANDOFF_ALREADY, lang).format(reference=reference)
            send(dispatcher, tracker, [replies.message(text, replies.tail_buttons(content, lang), lang)])
        return [SlotSet(slot, None) for slot in SLOTS]

    @staticmethod
    def _form(tracker: Tracker, lang: str) -> participants.RequestForm:
        note = tracker.get_slot("handoff_note")
        return participants.RequestForm(
            sender=tracker.sender_id,
            channel=participants.channel_of(tracker.sender_id),
            name=tracker.get_slot("handoff_name"),
            language=lang,
            interpreter=tracker.get_slot("handoff_interpreter") == YES,
            municipality=tracker.get_slot("handoff_municipality"),
            times=tracker.get_slot("handoff_times"),
            contact=tracker.get_slot("handoff_contact"),
            phone=tracker.get_slot("handoff_phone"),
            note=None if note == NO_NOTE else note,
        )


class ActionAcceptTime(Action):
    """A tap on a proposed time books it, if it was proposed to this participant and is still open."""

    def name(self) -> str:
        return "action_accept_time"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content, lang = content_store().get(), _lang(tracker)
        proposal = entity_text(tracker, "proposal")
        if proposal is None:
            send(dispatcher, tracker, [replies.message(replies.ui(content, ui_text.HANDOFF_CHOOSE, lang), [], lang)])
            return []
        proposal_id = _proposal_id(proposal)
        booked = await run(participants.accept, tracker.sender_id, proposal_id) if proposal_id is not None else None
        if booked is None:
            send(dispatcher, tracker, replies.notice(content, ui_text.HANDOFF_NOT_BOOKABLE, lang))
            return []
        when = times.spoken(booked, lang)
        text = content.ui_text(ui_text.HANDOFF_BOOKED, lang).format(time=when)
        send(dispatcher, tracker, [replies.message(text, replies.tail_buttons(content, lang), lang)])
        return []


def _proposal_id(text: str) -> int | None:
    """The id in a proposed time's button. Anyone can type the payload: "²" is a digit to
    `str.isdigit` but not to `int`, and 30 nines do not fit in SQLite; both stopped the action."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS else None


class ActionBackToBot(Action):
    """The participant leaves the conversation with a person; the bot answers again."""

    def name(self) -> str:
        return "action_back_to_bot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content, lang = content_store().get(), _lang(tracker)
        await run(participants.return_to_bot, tracker.sender_id)
        send(
            dispatcher,
            tracker,
            [replies.message(replies.ui(content, ui_text.HANDOFF_BACK, lang), [], lang), *replies.menu(content, lang)],
        )
        return []
