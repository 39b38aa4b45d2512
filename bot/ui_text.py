"""The keys of `content/<lang>/ui.yml`: the only names the code uses for interface texts."""

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
LANGUAGE_NAME = "language_name"
THANKS = "thanks"
GOODBYE = "goodbye"
BOT_CHALLENGE = "bot_challenge"

ALL = frozenset(value for name, value in dict(globals()).items() if name.isupper())
