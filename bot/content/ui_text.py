"""The keys of `content/<lang>/ui.yml`: the only names the code uses for interface texts."""

START = "start"
WELCOME = "welcome"
MENU_TITLE = "menu_title"
BUTTON_MENU = "button_menu"
BUTTON_COORDINATOR = "button_coordinator"
BUTTON_LANGUAGE = "button_language"
BUTTON_NEXT = "button_next"
FALLBACK = "fallback"
FALLBACK_NOTHING = "fallback_nothing"
EMPTY_MESSAGE = "empty_message"
TOO_LONG = "too_long"
LANGUAGE_TITLE = "language_title"
THANKS = "thanks"
GOODBYE = "goodbye"
BOT_CHALLENGE = "bot_challenge"
BUTTON_SWEDISH = "button_swedish"
MISSING_TRANSLATION = "missing_translation"
LANGUAGE_CHANGED = "language_changed"
# What a channel says on its own (Telegram front end), when Rasa cannot or need not answer.
NOT_TEXT = "not_text"
BUSY = "busy"
TOO_FAST = "too_fast"
DATA_FIGURES = "data_figures"
DATA_STORED = "data_stored"
DATA_NOTHING = "data_nothing"
BUTTON_DELETE_ALL = "button_delete_all"
BUTTON_KEEP = "button_keep"
DATA_DELETED = "data_deleted"
DATA_KEPT = "data_kept"
COMMAND_START = "command_start"
COMMAND_MENU = "command_menu"
COMMAND_LANGUAGE = "command_language"
COMMAND_HELP = "command_help"
COMMAND_COORDINATOR = "command_coordinator"
COMMAND_DELETE = "command_delete"
UNKNOWN_COMMAND = "unknown_command"

# web widget: labels of the classroom page (bot/web/static/widget/), served to it by GET /api/ui.
WEB_CONVERSATION = "web_conversation"
WEB_INPUT_LABEL = "web_input_label"
WEB_SEND = "web_send"
WEB_NEW_SESSION = "web_new_session"
WEB_SIDE_BY_SIDE = "web_side_by_side"
WEB_PLAY = "web_play"
WEB_TRY_AGAIN = "web_try_again"
WEB_LESSON = "web_lesson"
WEB_LESSON_OPEN = "web_lesson_open"
WEB_LESSON_PREVIOUS = "web_lesson_previous"
WEB_LESSON_NEXT = "web_lesson_next"
WEB_LESSON_CLOSE = "web_lesson_close"

# hand-off to a coordinator: the form, its buttons, and what the participant hears about the request.
HANDOFF_CONSENT = "handoff_consent"
HANDOFF_WEB_REACH = "handoff_web_reach"
HANDOFF_CONSENT_NO = "handoff_consent_no"
HANDOFF_ASK_NAME = "handoff_ask_name"
HANDOFF_ASK_INTERPRETER = "handoff_ask_interpreter"
HANDOFF_ASK_MUNICIPALITY = "handoff_ask_municipality"
HANDOFF_ASK_TIMES = "handoff_ask_times"
HANDOFF_ASK_CONTACT = "handoff_ask_contact"
HANDOFF_ASK_PHONE = "handoff_ask_phone"
HANDOFF_PHONE_INVALID = "handoff_phone_invalid"
HANDOFF_ASK_NOTE = "handoff_ask_note"
HANDOFF_CONFIRM = "handoff_confirm"
HANDOFF_CHOOSE = "handoff_choose"
HANDOFF_SENT = "handoff_sent"
HANDOFF_NOT_SENT = "handoff_not_sent"
HANDOFF_CANCELLED = "handoff_cancelled"
HANDOFF_ALREADY = "handoff_already"
HANDOFF_FROM_COORDINATOR = "handoff_from_coordinator"
HANDOFF_PROPOSALS = "handoff_proposals"
HANDOFF_BOOKED = "handoff_booked"
HANDOFF_NOT_BOOKABLE = "handoff_not_bookable"
HANDOFF_BACK = "handoff_back"
BUTTON_YES = "button_yes"
BUTTON_NO = "button_no"
BUTTON_CANCEL = "button_cancel"
BUTTON_NO_MORE = "button_no_more"
BUTTON_BACK_TO_BOT = "button_back_to_bot"
HANDOFF_TIME_MORNING = "handoff_time_morning"
HANDOFF_TIME_AFTERNOON = "handoff_time_afternoon"
HANDOFF_TIME_ANY = "handoff_time_any"
HANDOFF_CONTACT_CHAT = "handoff_contact_chat"
HANDOFF_CONTACT_PHONE = "handoff_contact_phone"
HANDOFF_OTHER_MUNICIPALITY = "handoff_other_municipality"
DATA_HANDOFF = "data_handoff"

# After a question the assistant could not answer: may we keep it (actions/unanswered.py)?
KEEP_QUESTION_ASK = "keep_question_ask"
QUESTION_KEPT = "question_kept"
QUESTION_NOT_KEPT = "question_not_kept"

# 👍/👎 under an answer (actions/rating.py), and the widget's names for the two buttons.
RATING_THANKS = "rating_thanks"
RATING_NOT_SAVED = "rating_not_saved"
WEB_RATE_UP = "web_rate_up"
WEB_RATE_DOWN = "web_rate_down"

ALL = frozenset(value for name, value in dict(globals()).items() if name.isupper())

# The only texts with blanks the code fills in, and the names of those blanks. The storage periods
# ({hours}, {days}, {question_days}, {usage_days}: bot/content/replies.py STORAGE_PERIODS) are filled wherever
# they stand, so the texts about storage may use any of them.
PLACEHOLDERS = {
    DATA_FIGURES: frozenset({"messages", "hours"}),
    DATA_STORED: frozenset({"hours", "days", "question_days", "usage_days"}),
    DATA_DELETED: frozenset({"question_days"}),
    DATA_HANDOFF: frozenset({"requests"}),
    HANDOFF_CONSENT: frozenset({"days"}),
    HANDOFF_CONSENT_NO: frozenset({"hours"}),
    HANDOFF_NOT_SENT: frozenset({"hours"}),
    HANDOFF_CANCELLED: frozenset({"hours"}),
    HANDOFF_ASK_INTERPRETER: frozenset({"language"}),
    HANDOFF_CONFIRM: frozenset({"name", "interpreter", "municipality", "times", "contact"}),
    HANDOFF_SENT: frozenset({"reference"}),
    HANDOFF_ALREADY: frozenset({"reference"}),
    HANDOFF_BOOKED: frozenset({"time"}),
    KEEP_QUESTION_ASK: frozenset({"question_days"}),
    QUESTION_KEPT: frozenset({"question_days"}),
    QUESTION_NOT_KEPT: frozenset({"hours"}),
}
