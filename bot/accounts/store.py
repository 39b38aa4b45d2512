"""Coordinator accounts: created from the command line, passwords hashed with Argon2id.

A recorder records and approves only in the languages the administrator gave the account, so a
stolen recorder login cannot put a false voice on the Swedish emergency answer.

No account is ever locked by wrong passwords: user names are first names, so a lock would let
anyone keep a coordinator out. Guessing is slowed down per client address instead, in front of
the password check (bot/accounts/throttle.py). Failures in a row are counted per account so that
`bot account list` shows an administrator an account under attack.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.handoff.models import Coordinator, LoginSession
from bot.languages import LANGUAGES
from bot.settings import DATABASE_URL
from bot.storage.database import transaction

ROLES = ("coordinator", "recorder")
MIN_PASSWORD_CHARS = 12
_hasher = PasswordHasher()
# Verifying against this when the name is unknown takes as long as a real check: no name probing by timing.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A problem with an account command, said so a coordinator can fix it."""


@dataclass(frozen=True)
class Login:
    """What a login attempt found: the account when the password was right and the account open;
    `known` says whether an account has the typed name, so the audit log can name a real account
    and store "unknown" otherwise (people type passwords into the name field)."""

    account: Account | None
    known: bool


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
    """A new password ends every login of the account: whoever knew the old one is out."""
    _check_password(password)
    with transaction(url) as session:
        row = _row(session, username)
        row.password_hash, row.failed_logins = _hasher.hash(password), 0
        _end_sessions(session, row)


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
    """Disabling ends the account's logins, so enabling it again later revives none of them."""
    with transaction(url) as session:
        row = _row(session, username)
        row.disabled = disabled
        if disabled:
            _end_sessions(session, row)


def _end_sessions(session: Session, row: Coordinator) -> None:
    session.execute(delete(LoginSession).where(LoginSession.coordinator_id == row.id))


def listing(url: str = DATABASE_URL) -> list[tuple[Account, bool]]:
    with transaction(url) as session:
        rows = session.scalars(select(Coordinator).order_by(Coordinator.username)).all()
        return [(as_account(row), row.disabled) for row in rows]


def failed_logins(url: str = DATABASE_URL) -> dict[str, int]:
    """Wrong passwords in a row since the last login, per account that has any."""
    with transaction(url) as session:
        query = select(Coordinator.username, Coordinator.failed_logins).where(Coordinator.failed_logins > 0)
        return {name: count for name, count in session.execute(query)}


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


def authenticate(username: str, password: str, url: str = DATABASE_URL) -> Login:
    """Checks the password (Argon2id, about 0.1 s of CPU: bot/accounts/auth.py runs this on its own
    small executor). An unknown or disabled name takes as long as a wrong password."""
    with transaction(url) as session:
        row = session.scalar(select(Coordinator).where(Coordinator.username == username))
        if row is None or row.disabled:
            _verify(_DUMMY_HASH, password)
            return Login(None, row is not None)
        if not _verify(row.password_hash, password):
            row.failed_logins += 1
            return Login(None, True)
        row.failed_logins = 0
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return Login(as_account(row), True)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
