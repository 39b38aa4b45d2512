"""Logins for the coordinator pages: server-side sessions, CSRF tokens, roles.

The cookie holds only a random token; the database holds its SHA-256, the account and a CSRF
token, so any replica of the web server knows every login and a stolen database gives no working
cookie. The cookie is HttpOnly, SameSite=Strict, scoped to the coordinator pages, and Secure when
the public address is HTTPS. Every request that changes something must also carry the session's
CSRF token in a header, which another site's page cannot read or send.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps

from aiohttp import web
from sqlalchemy import delete, select

from bot.accounts.store import Account, as_account, authenticate
from bot.handoff import audit
from bot.handoff.models import LoginSession, utcnow
from bot.keys import same_secret
from bot.settings import PUBLIC_URL
from bot.storage.database import run, transaction
from bot.web.http import error, read_json
from bot.web.well_formed import is_well_formed

COOKIE = "hl_session"
COOKIE_PATH = "/koordinator"
CSRF_HEADER = "X-CSRF-Token"
SESSION_HOURS = 8
ACCOUNT = "account"  # where a guarded handler finds the logged-in account: request[ACCOUNT]
SAFE_METHODS = frozenset({"GET", "HEAD"})
MAX_LOGIN_BYTES = 4096  # a user name of 64 and a password of 256 characters, as JSON

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _open_session(account: Account) -> tuple[str, str]:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction() as session:
        session.execute(delete(LoginSession).where(LoginSession.expires_at < utcnow()))
        session.add(
            LoginSession(
                token_hash=_digest(token),
                coordinator_id=account.id,
                csrf_token=csrf,
                expires_at=utcnow() + dt.timedelta(hours=SESSION_HOURS),
            )
        )
    return token, csrf


def _session_for(token: str) -> tuple[Account, str] | None:
    with transaction() as session:
        row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
        if row is None or row.expires_at < utcnow() or row.coordinator.disabled:
            return None
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
    account = await run(authenticate, username, password)
    if account is None:
        await run(audit.write, username[:64], "login_failed", None)
        return error(401, "login_failed", "Wrong user name or password, or the account is locked for a while.")
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
            found = await run(_session_for, token) if token else None
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
