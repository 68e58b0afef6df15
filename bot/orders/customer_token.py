"""Signed customer tokens from the shop's login (JWT, HS256): the customer needs no other proof.

The shop signs `{"sub": "<customer id>", "exp": ...}` with the secret in CUSTOMER_TOKEN_SECRET.
`python -m bot.orders.customer_token EMAIL` issues one for a demo customer (for trying the bot).
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime, timedelta

import jwt

SECRET_ENV = "CUSTOMER_TOKEN_SECRET"
ALGORITHM = "HS256"


def token_secret() -> str | None:
    return os.environ.get(SECRET_ENV) or None


def issue_token(customer_id: int, secret: str, valid_for: timedelta = timedelta(hours=12),
                now: datetime | None = None) -> str:
    issued = now or datetime.now(UTC)
    claims = {"sub": str(customer_id), "iat": issued, "exp": issued + valid_for}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verified_customer_id(token: object, secret: str | None) -> int | None:
    """The customer id of a valid token; None for a missing, forged, expired or malformed one."""
    if not isinstance(token, str) or not token or not secret:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    return int(subject) if isinstance(subject, str) and subject.isdigit() else None


def main() -> None:
    from sqlalchemy import select

    from bot.orders.models import Customer
    from bot.storage.database import session_scope

    parser = argparse.ArgumentParser(description="Issue a customer token for a demo customer.")
    parser.add_argument("email")
    args = parser.parse_args()
    secret = token_secret()
    if not secret:
        raise SystemExit(f"Set {SECRET_ENV} to the secret the bot runs with.")
    with session_scope() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.email == args.email.lower()))
    if customer_id is None:
        raise SystemExit(f"No customer with the e-mail {args.email}.")
    print(issue_token(customer_id, secret))


if __name__ == "__main__":
    main()
