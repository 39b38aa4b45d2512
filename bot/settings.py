"""Where things are and which ports they use; every value can be overridden by environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = Path(os.environ.get("HALSOLOTSEN_CONTENT", PROJECT_ROOT / "content"))
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
VAR_DIR = Path(os.environ.get("HALSOLOTSEN_VAR", PROJECT_ROOT / "var"))
TRACKER_DB = VAR_DIR / "tracker.db"
MODELS_DIR = Path(os.environ.get("HALSOLOTSEN_MODELS", PROJECT_ROOT / "models"))

AUDIO_DIR = VAR_DIR / "audio"
WEB_PORT = int(os.environ.get("HALSOLOTSEN_WEB_PORT", "8080"))
# Where participants' devices reach the project's web server (audio files, later the widget).
PUBLIC_URL = os.environ.get("HALSOLOTSEN_PUBLIC_URL", f"http://localhost:{WEB_PORT}")
# Speech engines for the audio build: auto (Google when reachable, else espeak-ng), espeak, gtts.
TTS = os.environ.get("HALSOLOTSEN_TTS", "auto")

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))
# Where the channels (Telegram front end, web widget) reach Rasa's REST channel.
RASA_URL = os.environ.get("HALSOLOTSEN_RASA_URL", f"http://localhost:{RASA_PORT}")

# Longer messages are answered with a polite "please write a short question" instead of being
# classified: no real question is this long, and it bounds the work one message can cause.
MAX_MESSAGE_CHARS = int(os.environ.get("HALSOLOTSEN_MAX_MESSAGE_CHARS", "1000"))

# The hand-off database (requests, messages, bookings, coordinator accounts, audit log): an
# SQLAlchemy URL. SQLite in var/ on one machine; PostgreSQL (postgresql://…) for several.
DATABASE_URL = os.environ.get("HALSOLOTSEN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'halsolotsen.db'}")
# Conversations (Rasa's tracker store) are deleted whole when nobody has written for this many hours.
CONVERSATION_RETENTION_HOURS = float(os.environ.get("HALSOLOTSEN_RETENTION_HOURS", "24"))
# Hand-off requests are deleted this many days after the last contact: the request's last change,
# the last message either way, and the booked time, whichever is latest (bot/handoff/participants.py).
HANDOFF_RETENTION_DAYS = int(os.environ.get("HALSOLOTSEN_HANDOFF_RETENTION_DAYS", "30"))

# Insights for content work (bot/insights/): unanswered questions are counted, and their text kept
# (scrubbed, only after the participant said yes), this many days; 0 stores none at all.
INSIGHTS_RETENTION_DAYS = int(os.environ.get("HALSOLOTSEN_INSIGHTS_RETENTION_DAYS", "90"))

# The audit log (who looked at or changed which request, logins) is deleted after this many days.
AUDIT_RETENTION_DAYS = int(os.environ.get("HALSOLOTSEN_AUDIT_RETENTION_DAYS", "365"))
# A coordinator page's login ends after this many minutes without the person doing anything there
# (the page's own refreshing does not count), and after SESSION_HOURS in any case (bot/accounts/auth.py).
SESSION_IDLE_MINUTES = int(os.environ.get("HALSOLOTSEN_SESSION_IDLE_MINUTES", "30"))
# Proxies whose X-Forwarded-For names the client (comma-separated addresses or networks). Loopback
# covers nginx on the same machine; the compose setup adds its private network.
TRUSTED_PROXIES = os.environ.get("HALSOLOTSEN_TRUSTED_PROXIES", "127.0.0.1/8,::1")
