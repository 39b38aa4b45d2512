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

# Each ffmpeg run (converting a recording, building a text's audio) is stopped after this many
# seconds, and the web server runs at most FFMPEG_AT_ONCE for recordings: a crafted or hung
# upload costs the recorder a clear error, never the server's threads.
FFMPEG_SECONDS = float(os.environ.get("HALSOLOTSEN_FFMPEG_SECONDS", "120"))
FFMPEG_AT_ONCE = int(os.environ.get("HALSOLOTSEN_FFMPEG_AT_ONCE", "2"))
# How long a recording waits for a free converter before the recorder is asked to try again.
FFMPEG_QUEUE_SECONDS = float(os.environ.get("HALSOLOTSEN_FFMPEG_QUEUE_SECONDS", "10"))

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

# A notice in the coordinators' Telegram group ("new request, language, municipality") is deleted
# after this many hours, or at once when its request is deleted. Telegram lets a bot delete its
# own messages only for 48 hours, so a notice can never outlive this by more than a poll.
GROUP_NOTICE_HOURS = float(os.environ.get("HALSOLOTSEN_GROUP_NOTICE_HOURS", "24"))

# Insights for content work (bot/insights/): unanswered questions are counted, and their text kept
# (scrubbed, only after the participant said yes), this many days; 0 stores none at all.
INSIGHTS_RETENTION_DAYS = int(os.environ.get("HALSOLOTSEN_INSIGHTS_RETENTION_DAYS", "90"))

# Operations (docs/operators.md, "Health, metrics and logs"): each process answers /health, /ready
# and /metrics on a port of its own, on loopback unless HALSOLOTSEN_OPS_HOST says otherwise; the
# Rasa server answers its readiness on its own port (/webhooks/rest/ready).
OPS_HOST = os.environ.get("HALSOLOTSEN_OPS_HOST", "127.0.0.1")
WEB_OPS_PORT = int(os.environ.get("HALSOLOTSEN_WEB_OPS_PORT", "9080"))
ACTIONS_OPS_PORT = int(os.environ.get("HALSOLOTSEN_ACTIONS_OPS_PORT", "9055"))
TELEGRAM_OPS_PORT = int(os.environ.get("HALSOLOTSEN_TELEGRAM_OPS_PORT", "9081"))
# Logs of the web server, the Telegram front end and the action server: "text" or "json" (one
# JSON object a line). The web server's access log (route, status, time; never the address a
# request came from, its query or body) is on unless this is "off".
LOG_FORMAT = os.environ.get("HALSOLOTSEN_LOG_FORMAT", "text")
ACCESS_LOG = os.environ.get("HALSOLOTSEN_ACCESS_LOG", "on") != "off"
