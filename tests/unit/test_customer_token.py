"""Signed customer tokens: only a valid, unexpired token signed with our secret names a customer."""

from datetime import UTC, datetime, timedelta

import jwt

from bot.orders.customer_token import issue_token, verified_customer_id

SECRET = "test-secret-of-the-shop"


def test_a_valid_token_names_its_customer():
    assert verified_customer_id(issue_token(42, SECRET), SECRET) == 42


def test_an_expired_token_is_refused():
    old = issue_token(42, SECRET, valid_for=timedelta(minutes=5), now=datetime.now(UTC) - timedelta(hours=1))
    assert verified_customer_id(old, SECRET) is None


def test_a_token_with_another_signature_is_refused():
    assert verified_customer_id(issue_token(42, "someone-elses-secret"), SECRET) is None


def test_a_token_for_another_customer_cannot_be_made_by_editing_it():
    header, payload, signature = issue_token(42, SECRET).split(".")
    forged_payload = jwt.utils.base64url_encode(b'{"sub":"7","exp":9999999999}').decode()
    assert verified_customer_id(f"{header}.{forged_payload}.{signature}", SECRET) is None


def test_unsigned_malformed_or_missing_tokens_are_refused():
    unsigned = jwt.encode({"sub": "42", "exp": 9999999999}, key=None, algorithm="none")
    for token in (unsigned, "not-a-token", "", None, 42):
        assert verified_customer_id(token, SECRET) is None
    assert verified_customer_id(issue_token(42, SECRET), None) is None


def test_a_token_without_expiry_is_refused():
    assert verified_customer_id(jwt.encode({"sub": "42"}, SECRET, algorithm="HS256"), SECRET) is None
