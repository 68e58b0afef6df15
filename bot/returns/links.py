"""Expiring signed links to a return's label and drop-off QR code (no login needed to open them)."""

from __future__ import annotations

import os

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

SECRET_ENV = "LABEL_LINK_SECRET"
SALT = "return-label"


class InvalidLink(Exception):
    """A label link that was tampered with, signed with another secret, or is too old (`expired`)."""

    def __init__(self, message: str, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def link_secret() -> str:
    """The signing secret from $LABEL_LINK_SECRET."""
    secret = os.environ.get(SECRET_ENV)
    if not secret:
        raise RuntimeError(f"{SECRET_ENV} is not set: return label links cannot be signed or checked")
    return secret


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def sign_return(return_number: str, secret: str) -> str:
    """A URL-safe token carrying the return number and the time it was signed."""
    return _serializer(secret).dumps(return_number)


def read_return(token: str, secret: str, max_age_seconds: int) -> str:
    """The return number in `token`; InvalidLink when it is forged, tampered with or older than allowed."""
    try:
        value = _serializer(secret).loads(token, max_age=max_age_seconds)
    except SignatureExpired as error:
        raise InvalidLink("the link has expired", expired=True) from error
    except BadData as error:
        raise InvalidLink("the link is not valid") from error
    if not isinstance(value, str):
        raise InvalidLink("the link is not valid")
    return value


def label_url(base_url: str, token: str) -> str:
    """Where the customer downloads the label PDF (served by bot/channels/returns.py)."""
    return f"{base_url.rstrip('/')}/returns/label/{token}.pdf"


def qr_url(base_url: str, token: str) -> str:
    """Where the customer gets the drop-off QR code PNG."""
    return f"{base_url.rstrip('/')}/returns/qr/{token}.png"
