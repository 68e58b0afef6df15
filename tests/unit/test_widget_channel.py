"""The widget channel's own rules: what metadata reaches the bot, and resent messages."""

from __future__ import annotations

from bot.channels import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY
from bot.channels.widget import RecentIds, customer_metadata
from bot.orders.customer_token import issue_token

SECRET = "widget-test-secret-for-customer-tokens"


def test_a_valid_customer_token_becomes_the_verified_id_and_the_token_is_not_kept(monkeypatch):
    monkeypatch.setenv("CUSTOMER_TOKEN_SECRET", SECRET)
    metadata = customer_metadata({"language": "pl", "customer_token": issue_token(42, SECRET)}, "10.0.0.7")
    assert metadata == {"language": "pl", VERIFIED_CUSTOMER_KEY: 42, CLIENT_ADDRESS_KEY: "10.0.0.7"}


def test_a_forged_token_or_a_claimed_id_proves_nothing(monkeypatch):
    monkeypatch.setenv("CUSTOMER_TOKEN_SECRET", SECRET)
    forged = issue_token(42, "another secret of the same good length")
    metadata = customer_metadata({"customer_token": forged, VERIFIED_CUSTOMER_KEY: 42}, "10.0.0.7")
    assert metadata == {CLIENT_ADDRESS_KEY: "10.0.0.7"}


def test_metadata_as_json_text_or_garbage():
    assert customer_metadata('{"language": "nl"}', "a")["language"] == "nl"
    assert customer_metadata("not json", "a") == {CLIENT_ADDRESS_KEY: "a"}
    assert customer_metadata(["a", "list"], "a") == {CLIENT_ADDRESS_KEY: "a"}
    assert customer_metadata(None, "a") == {CLIENT_ADDRESS_KEY: "a"}


def test_recent_ids_drop_a_second_copy_and_forget_the_oldest():
    ids = RecentIds(size=2)
    assert ids.add("a") and not ids.add("a")
    assert ids.add("b") and ids.add("c")
    assert ids.add("a")  # forgotten: only the last two are kept
    ids.forget("c")
    assert ids.add("c")
