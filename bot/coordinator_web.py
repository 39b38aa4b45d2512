"""The coordinator pages on the project's web server, all under /koordinator/.

- `/koordinator/` the coordinator view (requests, live chat, times, booking);
- `/koordinator/api/login|logout|me` logins (bot/coordinator_auth.py);
Pages for recording audio and for insights register their own routes here too.
"""

from __future__ import annotations

from aiohttp import web

from bot import coordinator_auth


def add_routes(app: web.Application) -> None:
    app.router.add_post("/koordinator/api/login", coordinator_auth.login)
    app.router.add_post("/koordinator/api/logout", coordinator_auth.logout)
    app.router.add_get("/koordinator/api/me", coordinator_auth.me)
