"""Typed access to settings.yml, the home of business rules and operational thresholds."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT

SETTINGS_PATH_ENV = "BOT_SETTINGS"


@dataclass(frozen=True)
class LanguageSettings:
    supported: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class DetectionSettings:
    seed: int
    detectors: tuple[str, ...]
    ignored_words: tuple[str, ...]
    min_words: int
    min_letters: int
    min_probability: float
    # Shop words customers borrow into other languages ("tracking", "Rücksendung"): they decide
    # only when fewer than `min_own_letters` letters of the message's own words are left.
    borrowed_words: tuple[str, ...] = ()
    min_own_letters: int = 0
    # A detection this close between the shop's default language and the best one goes to the
    # default language ("Hallo": German 0.37, English 0.38).
    default_language_margin: float = 0.0


@dataclass(frozen=True)
class ServiceHoursSettings:
    timezone: str
    opens: time
    closes: time | None  # None means midnight at the end of the day
    expected_agent_wait_minutes: int


@dataclass(frozen=True)
class SeasonalExtension:
    placed_from: tuple[int, int]  # (month, day)
    placed_until: tuple[int, int]
    returnable_until: tuple[int, int]  # in the January after the purchase


@dataclass(frozen=True)
class ReturnSettings:
    return_window_days: int
    refund_days: int
    seasonal_extension: SeasonalExtension
    not_returnable_categories: tuple[str, ...]
    hygiene_categories: tuple[str, ...]
    ebook_categories: tuple[str, ...]
    ebook_cancellation_days: int
    exception_grace_days: int
    label_link_valid_hours: int
    dropoff_days: int
    carrier: str
    address: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OrderSettings:
    overdue_after_days: int
    max_failed_lookups_per_conversation: int
    max_failed_lookups_per_client: int
    client_window_minutes: int
    recent_orders_shown: int
    recent_days: int
    # "I need help with my order": the topics offered as buttons (intents with an utter_topic_ label).
    general_question_topics: tuple[str, ...] = ("order_status", "return_item", "refund_status")


@dataclass(frozen=True)
class Carrier:
    name: str
    tracking_url: str


@dataclass(frozen=True)
class ShippingSettings:
    free_shipping_threshold_eur: float
    standard_shipping_fee_eur: float


@dataclass(frozen=True)
class LimitSettings:
    max_message_chars: int
    max_request_bytes: int


@dataclass(frozen=True)
class FallbackSettings:
    max_consecutive_failed_turns: int
    rephrase_buttons: int


@dataclass(frozen=True)
class HelpSearchSettings:
    model: str  # a folder with a sentence-transformers model, or "packaged"
    results: int
    min_score: float
    answer_min_score: float
    out_of_scope_min_score: float
    semantic_weight: float
    lexical_prefix_chars: int
    lexical_saturation: float


@dataclass(frozen=True)
class HelpSettings:
    article_url: str
    min_article_confidence: float
    search: HelpSearchSettings


@dataclass(frozen=True)
class AppChannelSettings:
    max_requests_per_client: int
    max_requests_per_key: int
    window_seconds: int


@dataclass(frozen=True)
class WebSettings:
    allowed_origins: tuple[str, ...]
    shop_name: str = "Shop"


@dataclass(frozen=True)
class DeskSettings:
    max_attempts: int
    backoff_first_seconds: int
    backoff_max_seconds: int
    timeout_seconds: float


@dataclass(frozen=True)
class HandoffSettings:
    average_handling_minutes: int
    chats_per_agent: int
    agent_online_minutes: int
    callback_promise_minutes: int
    phone_region: str
    agent_session_hours: int
    max_failed_logins: int
    login_window_minutes: int
    max_agent_message_chars: int
    outbox_poll_seconds: float
    desk: DeskSettings
    repeated_messages_for_frustration: int = 3
    inbox_check_seconds: float = 1.0
    # (language, countries) pairs: a national number is read as one of these countries' first.
    phone_regions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def regions_for(self, language: str | None) -> tuple[str, ...]:
        """Countries to read a phone number without country code as, most likely first."""
        by_language = dict(self.phone_regions).get(language or "", ())
        return tuple(dict.fromkeys((*by_language, self.phone_region)))


@dataclass(frozen=True)
class Settings:
    languages: LanguageSettings
    language_detection: DetectionSettings
    service_hours: ServiceHoursSettings
    returns: ReturnSettings
    orders: OrderSettings
    carriers: dict[str, Carrier]
    shipping: ShippingSettings
    limits: LimitSettings
    fallback: FallbackSettings
    help: HelpSettings
    handoff: HandoffSettings
    web: WebSettings
    app: AppChannelSettings


def _parse_clock(value: str) -> time | None:
    """'06:00' -> time(6, 0); '24:00' -> None (end of day)."""
    hours, minutes = (int(part) for part in str(value).split(":"))
    if (hours, minutes) == (24, 0):
        return None
    return time(hours, minutes)


def _month_day(value: str) -> tuple[int, int]:
    """'11-01' -> (11, 1)."""
    month, day = (int(part) for part in str(value).split("-"))
    return month, day


def _parse_returns(raw: dict[str, Any]) -> ReturnSettings:
    season = raw["seasonal_extension"]
    tuples = ("not_returnable_categories", "hygiene_categories", "ebook_categories", "address", "reasons")
    return ReturnSettings(
        **{key: value for key, value in raw.items() if key not in (*tuples, "seasonal_extension")},
        **{key: tuple(raw[key]) for key in tuples},
        seasonal_extension=SeasonalExtension(
            placed_from=_month_day(season["placed_from"]),
            placed_until=_month_day(season["placed_until"]),
            returnable_until=_month_day(season["returnable_until"]),
        ),
    )


def parse_settings(raw: dict[str, Any]) -> Settings:
    languages = LanguageSettings(
        supported=tuple(raw["languages"]["supported"]),
        default=raw["languages"]["default"],
    )
    if languages.default not in languages.supported:
        raise ValueError(f"default language {languages.default!r} is not supported")
    hours = raw["service_hours"]
    opens = _parse_clock(hours["opens"])
    if opens is None:
        raise ValueError("service_hours.opens cannot be 24:00")
    return Settings(
        languages=languages,
        language_detection=DetectionSettings(**{
            **raw["language_detection"],
            "detectors": tuple(raw["language_detection"]["detectors"]),
            "ignored_words": tuple(raw["language_detection"]["ignored_words"]),
            "borrowed_words": tuple(raw["language_detection"].get("borrowed_words") or ()),
        }),
        service_hours=ServiceHoursSettings(
            timezone=hours["timezone"],
            opens=opens,
            closes=_parse_clock(hours["closes"]),
            expected_agent_wait_minutes=int(hours["expected_agent_wait_minutes"]),
        ),
        returns=_parse_returns(raw["returns"]),
        orders=OrderSettings(**{**raw["orders"], "general_question_topics": tuple(
            raw["orders"].get("general_question_topics") or OrderSettings.general_question_topics)}),
        carriers={code: Carrier(**carrier) for code, carrier in raw["carriers"].items()},
        shipping=ShippingSettings(**raw["shipping"]),
        limits=LimitSettings(**raw["limits"]),
        fallback=FallbackSettings(**raw["fallback"]),
        help=HelpSettings(
            **{key: value for key, value in raw["help"].items() if key != "search"},
            search=HelpSearchSettings(**raw["help"]["search"]),
        ),
        handoff=HandoffSettings(**{
            **raw["handoff"], "desk": DeskSettings(**raw["handoff"]["desk"]),
            "phone_regions": _phone_regions(raw["handoff"].get("phone_regions") or {}),
        }),
        web=WebSettings(allowed_origins=tuple((raw.get("web") or {}).get("allowed_origins") or ()),
                        shop_name=str((raw.get("web") or {}).get("shop_name") or "Shop")),
        app=AppChannelSettings(**raw["app"]),
    )


def _phone_regions(raw: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """handoff.phone_regions, checked: a misspelt country ("UK") would make every number invalid."""
    import phonenumbers

    unknown = sorted({str(country) for countries in raw.values() for country in countries}
                     - phonenumbers.SUPPORTED_REGIONS)
    if unknown:
        raise ValueError(f"handoff.phone_regions: unknown countries {unknown}")
    return tuple((str(language), tuple(countries)) for language, countries in raw.items())


@cache
def load_settings(path: str | None = None) -> Settings:
    """Settings from `path`, `$BOT_SETTINGS`, or settings.yml at the project root."""
    chosen = Path(path or os.environ.get(SETTINGS_PATH_ENV) or PROJECT_ROOT / "settings.yml")
    with chosen.open(encoding="utf-8") as handle:
        return parse_settings(yaml.safe_load(handle))
