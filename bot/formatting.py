"""Dates and amounts written the way each language writes them (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_currency

# Babel locales for the shop's languages (the shop is in Germany: amounts in euro).
LOCALES = {"de": "de_DE", "en": "en_GB", "nl": "nl_NL", "pl": "pl_PL", "tr": "tr_TR", "cs": "cs_CZ"}


def _locale(language: str) -> str:
    return LOCALES.get(language, "de_DE")


def long_date(day: date, language: str) -> str:
    """25. November 2026 / 25 November 2026 / 25 listopada 2026 ..."""
    return format_date(day, format="long", locale=_locale(language))


def day_and_month(day: date, language: str) -> str:
    """31. Januar / 31 January / 31 stycznia / 31. ledna ... (no year)."""
    return format_skeleton("MMMMd", day, locale=_locale(language))


def short_datetime(moment: datetime, language: str, timezone: str) -> str:
    """A tracking event's time in the shop's time zone: 24.11.2026, 14:05 / 24/11/2026, 14:05 ..."""
    local = moment.astimezone(ZoneInfo(timezone))
    return format_datetime(local, format="short", locale=_locale(language))


def money(amount: Decimal | float, language: str, currency: str = "EUR") -> str:
    """24,99 € / €24.99 / 24,99 zł-style placement per language."""
    return format_currency(amount, currency, locale=_locale(language))


def clock_in_zone(moment: datetime, timezone: str | None, language: str, fallback_zone: str = "Europe/Berlin") -> str:
    """A time told to a customer in their own time zone when the channel sent a valid one
    (else the shop's): 'Montag, 06:00 MEZ' / 'Monday, 06:00 CET' ..."""
    try:
        zone = ZoneInfo(timezone) if isinstance(timezone, str) and timezone else ZoneInfo(fallback_zone)
    except (ValueError, KeyError, OSError):
        zone = ZoneInfo(fallback_zone)
    return format_datetime(moment.astimezone(zone), "EEEE, HH:mm z", tzinfo=zone, locale=_locale(language))
