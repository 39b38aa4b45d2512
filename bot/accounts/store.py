"""Coordinator accounts: created from the command line, passwords hashed with Argon2id.

A recorder records and approves only in the languages the administrator gave the account, so a
stolen recorder login cannot put a false voice on the Swedish emergency answer.

A login that fails LOCK_AFTER times in a row locks the account for LOCK_MINUTES, so guessing a
password from the internet takes years, while a coordinator who mistypes waits a few minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import Coordinator, utcnow
from bot.languages import LANGUAGES
from bot.settings import DATABASE_URL
from bot.storage.database import transaction

ROLES = ("coordinator", "recorder")
LOCK_AFTER = 5
LOCK_MINUTES = 15
MIN_PASSWORD_CHARS = 12
_hasher = PasswordHasher()
# Verifying against this when the name is unknown takes as long as a real check: no name probing by timing.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A problem with an account command, said so a coordinator can fix it."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    municipalities: tuple[str, ...]
    languages: tuple[str, ...] = ()

    def serves(self, municipality: str) -> bool:
        folded = {name.casefold() for name in self.municipalities}
        return "*" in folded or municipality.casefold() in folded

    @property
    def serves_every_municipality(self) -> bool:
        """An account with "*": the content team, who may read kept questions (bot/web/insights.py)."""
        return "*" in self.municipalities

    def records(self, lang: str) -> bool:
        """Whether this account may record and approve recordings in `lang`: a coordinator in
        every language (they answer for all content), a recorder only in its own."""
        return self.role == "coordinator" or "*" in self.languages or lang in self.languages


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (value or "").split(",") if name.strip())


def as_account(row: Coordinator) -> Account:
    return Account(row.id, row.username, row.role, _names(row.municipalities), _names(row.languages))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"The password needs at least {MIN_PASSWORD_CHARS} characters.")


def create(
    username: str,
    password: str,
    role: str,
    municipalities: list[str],
    url: str = DATABASE_URL,
    languages: list[str] | None = None,
) -> Account:
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    _check_password(password)
    spoken = _check_languages(languages or [])
    with transaction(url) as session:
        if session.scalar(select(Coordinator).where(Coordinator.username == username)):
            raise AccountError(f"There is already an account named {username}.")
        row = Coordinator(
            username=username,
            password_hash=_hasher.hash(password),
            role=role,
            municipalities=",".join(municipalities),
            languages=spoken,
        )
        session.add(row)
        session.flush()
        return as_account(row)


def set_password(username: str, password: str, url: str = DATABASE_URL) -> None:
    """A new password also lifts a lock: it is how an administrator lets a locked-out person in."""
    _check_password(password)
    with transaction(url) as session:
        row = _row(session, username)
        row.password_hash, row.failed_logins, row.locked_until = _hasher.hash(password), 0, None


def _check_languages(languages: list[str]) -> str:
    unknown = [code for code in languages if code != "*" and code not in LANGUAGES]
    if unknown:
        raise AccountError(f"Unknown language {', '.join(unknown)}; use: {', '.join(LANGUAGES)} or *.")
    return ",".join(languages)


def set_languages(username: str, languages: list[str], url: str = DATABASE_URL) -> None:
    """The languages a recorder may record and approve in (replacing the earlier ones)."""
    spoken = _check_languages(languages)
    with transaction(url) as session:
        _row(session, username).languages = spoken


def set_disabled(username: str, disabled: bool, url: str = DATABASE_URL) -> None:
    with transaction(url) as session:
        _row(session, username).disabled = disabled


def listing(url: str = DATABASE_URL) -> list[tuple[Account, bool]]:
    with transaction(url) as session:
        rows = session.scalars(select(Coordinator).order_by(Coordinator.username)).all()
        return [(as_account(row), row.disabled) for row in rows]


def municipalities(url: str = DATABASE_URL) -> list[str]:
    """Every municipality some active coordinator serves: the choices offered to participants."""
    names: set[str] = set()
    for account, disabled in listing(url):
        if not disabled and account.role == "coordinator":
            names.update(name for name in account.municipalities if name != "*")
    return sorted(names, key=str.casefold)


def _row(session: Session, username: str) -> Coordinator:
    row = session.scalar(select(Coordinator).where(Coordinator.username == username))
    if row is None:
        raise AccountError(f"There is no account named {username}.")
    return row


def authenticate(username: str, password: str, url: str = DATABASE_URL) -> Account | None:
    """The account if the password is right and the account is open; counts failures towards a lock."""
    with transaction(url) as session:
        row = session.scalar(select(Coordinator).where(Coordinator.username == username))
        if row is None:
            _verify(_DUMMY_HASH, password)
            return None
        now = utcnow()
        if row.disabled or (row.locked_until and row.locked_until > now):
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(row.password_hash, password):
            row.failed_logins += 1
            if row.failed_logins >= LOCK_AFTER:
                row.locked_until, row.failed_logins = now + dt.timedelta(minutes=LOCK_MINUTES), 0
            return None
        row.failed_logins, row.locked_until = 0, None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return as_account(row)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
