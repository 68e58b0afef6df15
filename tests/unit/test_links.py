import time

import pytest

from bot.returns.links import InvalidLink, label_url, link_secret, qr_url, read_return, sign_return

SECRET = "test-secret"
DAY = 24 * 3600
SIGNED_AT = 1_790_000_000.0


def test_round_trip():
    assert read_return(sign_return("R2611250042", SECRET), SECRET, DAY) == "R2611250042"


def test_token_is_url_safe():
    token = sign_return("R2611250042", SECRET)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


def test_tampered_token_is_invalid_not_expired():
    token = sign_return("R2611250042", SECRET)
    index = len(token) // 2 if token[len(token) // 2] != "." else len(token) // 2 + 1
    tampered = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]
    with pytest.raises(InvalidLink) as caught:
        read_return(tampered, SECRET, DAY)
    assert not caught.value.expired


def test_garbage_is_invalid():
    with pytest.raises(InvalidLink) as caught:
        read_return("not-a-token", SECRET, DAY)
    assert not caught.value.expired


def test_wrong_secret_is_invalid():
    with pytest.raises(InvalidLink) as caught:
        read_return(sign_return("R2611250042", "another-secret"), SECRET, DAY)
    assert not caught.value.expired


def test_link_expires_after_max_age(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: SIGNED_AT)
    token = sign_return("R2611250042", SECRET)
    monkeypatch.setattr(time, "time", lambda: SIGNED_AT + DAY)
    assert read_return(token, SECRET, DAY) == "R2611250042"
    monkeypatch.setattr(time, "time", lambda: SIGNED_AT + DAY + 1)
    with pytest.raises(InvalidLink) as caught:
        read_return(token, SECRET, DAY)
    assert caught.value.expired


def test_link_secret_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("LABEL_LINK_SECRET", "from-env")
    assert link_secret() == "from-env"
    monkeypatch.delenv("LABEL_LINK_SECRET")
    with pytest.raises(RuntimeError, match="LABEL_LINK_SECRET"):
        link_secret()


def test_urls():
    assert label_url("https://shop.example", "abc.def") == "https://shop.example/returns/label/abc.def.pdf"
    assert qr_url("https://shop.example/", "abc.def") == "https://shop.example/returns/qr/abc.def.png"
