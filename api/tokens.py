"""Making and checking token strings: Django-free."""

import hashlib
import secrets

TOKEN_PREFIX = "kam_"
PREFIX_SHOWN = 12  # characters kept in clear to tell tokens apart


def token_generate() -> str:
    """A new token: 256 random bits, URL-safe, recognisable by its `kam_` prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    """What is stored: a token carries 256 random bits, so a plain SHA-256 is enough (a
    slow password hash guards guessable secrets, which these are not)."""
    return hashlib.sha256(raw.encode()).hexdigest()
