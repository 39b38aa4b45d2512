"""The login's guards on their own: the throttle on a made-up clock, which client address a
request counts as (with and without a trusted proxy in front), and the audit log's retention
through the real retention command on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp.test_utils import make_mocked_request
from sqlalchemy import update

from bot.accounts import store as accounts
from bot.accounts import throttle
from bot.handoff import audit
from bot.handoff.models import AuditEntry, utcnow
from bot.settings import PROJECT_ROOT
from bot.storage.database import transaction
from bot.web.http import client_address


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_an_address_waits_longer_after_each_wrong_password_and_a_right_one_forgets(clock: Clock) -> None:
    guard = throttle.LoginThrottle(clock)
    waits = []
    for _ in range(throttle.FREE_FAILURES + 3):
        waits.append(guard.admit("203.0.113.7", "sara"))
        if waits[-1]:
            clock.now += waits[-1]
            assert guard.admit("203.0.113.7", "sara") == 0
        guard.failed("203.0.113.7", "sara")
    assert waits == [0, 0, 0, 1, 2, 4]
    assert guard.admit("198.51.100.1", "sara") == 0  # the owner's own address: at once
    assert guard.admit("203.0.113.7", "SARA") == 8
    clock.now += 8
    assert guard.admit("203.0.113.7", "SARA") == 0  # the same name in capitals is the same pair
    guard.succeeded("203.0.113.7", "sara")
    guard.failed("203.0.113.7", "sara")
    assert guard.admit("203.0.113.7", "sara") == 0  # counting starts afresh


def test_the_wait_has_a_ceiling(clock: Clock) -> None:
    guard = throttle.LoginThrottle(clock)
    for _ in range(40):
        guard.failed("203.0.113.7", "sara")
    assert guard.admit("203.0.113.7", "sara") == throttle.MAX_DELAY_SECONDS


def test_an_address_has_a_bucket_of_checks_and_right_passwords_give_theirs_back(clock: Clock) -> None:
    guard = throttle.LoginThrottle(clock)
    for number in range(throttle.ADDRESS_BURST):
        assert guard.admit("203.0.113.7", f"namn-{number}") == 0
    assert guard.admit("203.0.113.7", "sara") == throttle.ADDRESS_REFILL_SECONDS
    clock.now += throttle.ADDRESS_REFILL_SECONDS
    assert guard.admit("203.0.113.7", "sara") == 0
    guard.succeeded("203.0.113.7", "sara")
    assert guard.admit("203.0.113.7", "ali") == 0  # the right password's check came back


def _request(peer: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return make_mocked_request("POST", "/koordinator/api/login", headers=headers, transport=_Transport(peer))


class _Transport:
    def __init__(self, peer: str) -> None:
        self.peer = peer

    def get_extra_info(self, name: str, default: object = None) -> object:
        return (self.peer, 40000) if name == "peername" else default


def test_a_client_cannot_choose_its_address_unless_a_trusted_proxy_says_it() -> None:
    trusted = "127.0.0.1/8,10.0.0.0/8"
    assert client_address(_request("203.0.113.7", "198.51.100.1"), trusted) == "203.0.113.7"
    assert client_address(_request("127.0.0.1", "198.51.100.1"), trusted) == "198.51.100.1"
    # nginx appends what it saw; what the client put before that is not believed
    assert client_address(_request("10.1.2.3", "1.2.3.4, 198.51.100.1"), trusted) == "198.51.100.1"
    assert client_address(_request("10.1.2.3", "198.51.100.1, 10.9.9.9"), trusted) == "198.51.100.1"
    assert client_address(_request("127.0.0.1", "not an address"), trusted) == "127.0.0.1"
    assert client_address(_request("127.0.0.1"), trusted) == "127.0.0.1"


def test_the_retention_command_deletes_audit_entries_older_than_the_setting(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'halsolotsen.db'}"
    for actor in ("gammal", "ny"):
        audit.write(actor, "login", None, url)
    with transaction(url) as session:
        old = utcnow() - dt.timedelta(days=11)
        session.execute(update(AuditEntry).where(AuditEntry.actor == "gammal").values(at=old))
    env = {**os.environ, "HALSOLOTSEN_DATABASE_URL": url, "HALSOLOTSEN_AUDIT_RETENTION_DAYS": "10"}
    command = [sys.executable, "-m", "bot", "forget", "--db-url", f"sqlite:///{tmp_path / 'tracker.db'}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 audit log entries older than 10 days." in done.stdout
    assert [entry.actor for entry in audit.entries(url=url)] == ["ny"]


def test_wrong_passwords_never_lock_the_account_and_are_counted_for_the_administrator(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'halsolotsen.db'}"
    accounts.create("lars", "ett-långt-lösenord", "coordinator", ["Malmö"], url)
    for _ in range(12):
        assert accounts.authenticate("lars", "fel lösenord", url) == accounts.Login(None, True)
    assert accounts.failed_logins(url) == {"lars": 12}
    assert accounts.authenticate("lars", "ett-långt-lösenord", url).account.username == "lars"
    assert accounts.failed_logins(url) == {}
    assert accounts.authenticate("ingen", "fel lösenord", url) == accounts.Login(None, False)
