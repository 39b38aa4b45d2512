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
# Production (deploy/compose.yml sets it): the web server then refuses a public URL that is not
# https (localhost excepted), where logins and health questions would travel in clear text.
PRODUCTION = os.environ.get("HALSOLOTSEN_PRODUCTION", "").lower() in ("1", "true", "yes")
# Speech engines for the audio build: auto (Google when reachable, else espeak-ng), espeak, gtts.
TTS = os.environ.get("HALSOLOTSEN_TTS", "auto")

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
# The address Rasa and the action server listen on. Only the web server is for the outside; in
# containers (deploy/compose.yml) the other containers must reach them: 0.0.0.0 there.
INTERNAL_HOST = os.environ.get("HALSOLOTSEN_INTERNAL_HOST", "127.0.0.1")
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))
# Where the channels (Telegram front end, web widget) reach Rasa's REST channel.
RASA_URL = os.environ.get("HALSOLOTSEN_RASA_URL", f"http://localhost:{RASA_PORT}")

# Limits per client address on the web chat (bot/web/limits.py): messages per minute, and new
# hand-off requests per hour. A class behind one school address shares them.
CHAT_MESSAGES_PER_MINUTE = int(os.environ.get("HALSOLOTSEN_CHAT_MESSAGES_PER_MINUTE", "120"))
CHAT_REQUESTS_PER_HOUR = int(os.environ.get("HALSOLOTSEN_CHAT_REQUESTS_PER_HOUR", "10"))
# Our own proxies (addresses or networks, comma-separated): only their X-Forwarded-For is believed.
TRUSTED_PROXIES = os.environ.get("HALSOLOTSEN_TRUSTED_PROXIES", "")

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
