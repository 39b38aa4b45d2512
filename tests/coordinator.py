"""A coordinator as the coordinator API sees them, for end-to-end tests: accounts in the
assistant's database, a logged-in HTTP client with the page's CSRF token.

Each coordinator's browser comes from an address of its own: the web server believes the
X-Forwarded-For of a client on loopback (where nginx would be), and slows down logins per address,
so one test's wrong passwords (the hostile-input run's) cannot slow down another test's logins.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from tests.assistant import Assistant

PASSWORD = "ett-långt-lösenord-för-test"
MALMO, LUND = "Malmö", "Lund"
API = "/koordinator/api"


def database_url(assistant: Assistant) -> str:
    return f"sqlite:///{assistant.var_dir / 'halsolotsen.db'}"


class Coordinator:
    """The coordinator's browser, as far as the API sees it: a cookie and the page's CSRF token."""

    def __init__(self, assistant: Assistant, username: str, password: str = PASSWORD, address: str = "") -> None:
        self.address = address or new_address()
        self.http = httpx.Client(
            base_url=assistant.web_url + API, timeout=30, headers={"X-Forwarded-For": self.address}
        )
        self.login = self.http.post("/login", json={"username": username, "password": password})
        self.csrf = self.login.json().get("csrf", "")

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(path, json=body, headers={"X-CSRF-Token": self.csrf})

    def request_id(self, reference: str) -> int:
        return next(r["id"] for r in self.get("/requests").json() if r["reference"] == reference)


def new_address() -> str:
    """A client address nobody else uses (198.18.0.0/15 is set aside for tests; never contacted)."""
    return f"198.{18 + secrets.randbelow(2)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"
