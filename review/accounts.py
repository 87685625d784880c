"""Users: argon2 password hashes, roles, lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from core.settings import Settings
from storage.models import User, aware, utcnow

ROLES = ("va", "supervisor", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES)}
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password")  # verified against for unknown users: same timing


class LoginRefused(Exception):
    """Wrong user or password, or the account is locked; `reason` is safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """Who is signed in, as the request handlers see it."""

    id: int
    username: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or above (admin > supervisor > va)."""
        return RANK[self.role] >= RANK[role]


def add_user(session: Session, username: str, password: str, role: str) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("password must be at least 10 characters")
    if session.query(User).filter_by(username=username).one_or_none():
        raise ValueError(f"user {username!r} already exists")
    user = User(username=username, password_hash=_hasher.hash(password), role=role, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, settings: Settings) -> User:
    """The user when the password is right; counts failures and locks the account."""
    user = session.query(User).filter_by(username=username, active=True).one_or_none()
    if user is None:
        _verify(_DUMMY_HASH, password)
        raise LoginRefused("wrong username or password")
    now = utcnow()
    if user.locked_until and aware(user.locked_until) > now:
        raise LoginRefused("account locked after repeated failures; try again later")
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= settings.lockout_attempts:
            user.locked_until, user.failed_logins = now + timedelta(minutes=settings.lockout_minutes), 0
        raise LoginRefused("wrong username or password")
    user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
