"""Logins for the coordinator pages: server-side sessions, CSRF tokens, roles.

The cookie holds only a random token; the database holds its SHA-256, the account and a CSRF
token, so any replica of the web server knows every login and a stolen database gives no working
cookie. The cookie is HttpOnly, SameSite=Strict, scoped to the coordinator pages, and Secure when
the public address is HTTPS. Every request that changes something must also carry the session's
CSRF token in a header, which another site's page cannot read or send.

A login ends after SESSION_HOURS, after SESSION_IDLE_MINUTES without the person doing anything,
and at once when the account's password changes or it is disabled (bot/accounts/store.py). The
pages mark their background refreshing with BACKGROUND_HEADER, and such a request does not count
as doing something, or a page left open would never time out.

Password checks are slowed down per client address (bot/accounts/throttle.py) and run on their own
two threads: Argon2id takes about 0.1 s of CPU and 64 MiB each, and on the database's thread pool
60 parallel wrong logins stalled every other request for seconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import wraps

from aiohttp import web
from sqlalchemy import delete, select

from bot.accounts.store import Account, as_account, authenticate
from bot.accounts.throttle import LoginThrottle
from bot.handoff import audit
from bot.handoff.models import LoginSession, utcnow
from bot.keys import same_secret
from bot.settings import PUBLIC_URL, SESSION_IDLE_MINUTES
from bot.storage.database import run, transaction
from bot.web.http import client_address, error, read_json
from bot.web.well_formed import is_well_formed

COOKIE = "hl_session"
COOKIE_PATH = "/koordinator"
CSRF_HEADER = "X-CSRF-Token"
SESSION_HOURS = 8
IDLE = dt.timedelta(minutes=SESSION_IDLE_MINUTES)
BACKGROUND_HEADER = "X-Background-Refresh"  # sent by the pages' timers (static/shared/common.js)
UNKNOWN_ACTOR = "unknown"  # the audit log's name for a failed login with a name no account has
HASHING_THREADS = 2
ACCOUNT = "account"  # where a guarded handler finds the logged-in account: request[ACCOUNT]
SAFE_METHODS = frozenset({"GET", "HEAD"})
MAX_LOGIN_BYTES = 4096  # a user name of 64 and a password of 256 characters, as JSON

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_hashing = ThreadPoolExecutor(HASHING_THREADS, thread_name_prefix="argon2")
_throttle = LoginThrottle()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _open_session(account: Account) -> tuple[str, str]:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction() as session:
        now = utcnow()
        ended = (LoginSession.expires_at < now) | (LoginSession.last_active_at < now - IDLE)
        session.execute(delete(LoginSession).where(ended))
        session.add(
            LoginSession(
                token_hash=_digest(token),
                coordinator_id=account.id,
                csrf_token=csrf,
                expires_at=now + dt.timedelta(hours=SESSION_HOURS),
                last_active_at=now,
            )
        )
    return token, csrf


def _session_for(token: str, active: bool) -> tuple[Account, str] | None:
    """The session's account and CSRF token, unless it has ended; an `active` request (not the
    page's background refreshing) keeps it alive for another IDLE."""
    with transaction() as session:
        row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
        if row is None:
            return None
        now = utcnow()
        if row.expires_at < now or row.last_active_at + IDLE < now or row.coordinator.disabled:
            session.delete(row)
            return None
        if active:
            row.last_active_at = now
        return as_account(row.coordinator), row.csrf_token


def _close_session(token: str) -> None:
    with transaction() as session:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


async def login(request: web.Request) -> web.Response:
    """POST {"username", "password"} as JSON (a cross-site form cannot send JSON without asking)."""
    if request.content_type != "application/json":
        return error(415, "json_only", "Send the login as JSON.")
    body = await read_json(request, MAX_LOGIN_BYTES)
    username, password = (body.get("username"), body.get("password")) if isinstance(body, dict) else (None, None)
    if not _is_text(username, 64) or not _is_text(password, 256):
        return error(400, "bad_request", "Send the user name and password.")
    address = client_address(request)
    wait = _throttle.admit(address, username)
    if wait > 0:
        response = error(429, "too_many_attempts", "Too many login attempts. Wait a while and try again.")
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    found = await asyncio.get_running_loop().run_in_executor(_hashing, authenticate, username, password)
    account = found.account
    if account is None:
        _throttle.failed(address, username)
        await run(audit.write, username if found.known else UNKNOWN_ACTOR, "login_failed", None)
        return error(401, "login_failed", "Wrong user name or password.")
    _throttle.succeeded(address, username)
    token, csrf = await run(_open_session, account)
    await run(audit.write, account.username, "login", None)
    response = web.json_response(_me(account, csrf))
    response.set_cookie(
        COOKIE,
        token,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=PUBLIC_URL.startswith("https://"),
        max_age=SESSION_HOURS * 3600,
    )
    return response


def _is_text(value: object, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit and is_well_formed(value)


def _me(account: Account, csrf: str) -> dict:
    return {"username": account.username, "role": account.role, "municipalities": account.municipalities, "csrf": csrf}


def require(*roles: str) -> Callable[[Handler], Handler]:
    """Lets the handler run only for a logged-in account with one of `roles`, and for changes only
    with the session's CSRF token."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            token = request.cookies.get(COOKIE)
            active = BACKGROUND_HEADER not in request.headers
            found = await run(_session_for, token, active) if token else None
            if found is None:
                return error(401, "login_needed", "Log in first.")
            account, csrf = found
            if account.role not in roles:
                return error(403, "not_allowed", "Your account cannot do this.")
            if request.method not in SAFE_METHODS and not same_secret(request.headers.get(CSRF_HEADER, ""), csrf):
                return error(403, "csrf", "The page's security token is missing. Reload the page.")
            request[ACCOUNT] = account
            request["csrf"] = csrf
            return await handler(request)

        return guarded

    return decorate


@require("coordinator", "recorder")
async def me(request: web.Request) -> web.Response:
    return web.json_response(_me(request[ACCOUNT], request["csrf"]))


@require("coordinator", "recorder")
async def logout(request: web.Request) -> web.Response:
    await run(_close_session, request.cookies[COOKIE])
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path=COOKIE_PATH)
    return response
