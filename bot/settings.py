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
    min_words: int
    min_letters: int
    min_probability: float
    vocabulary_min_score: float
    vocabulary_margin: float


@dataclass(frozen=True)
class ServiceHoursSettings:
    timezone: str
    opens: time
    closes: time | None  # None means midnight at the end of the day
    expected_agent_wait_minutes: int


@dataclass(frozen=True)
class ReturnSettings:
    return_window_days: int
    refund_days: int


@dataclass(frozen=True)
class ShippingSettings:
    free_shipping_threshold_eur: float
    standard_shipping_fee_eur: float


@dataclass(frozen=True)
class FallbackSettings:
    max_consecutive_low_confidence: int
    rephrase_buttons: int


@dataclass(frozen=True)
class Settings:
    languages: LanguageSettings
    language_detection: DetectionSettings
    service_hours: ServiceHoursSettings
    returns: ReturnSettings
    shipping: ShippingSettings
    fallback: FallbackSettings


def _parse_clock(value: str) -> time | None:
    """'06:00' -> time(6, 0); '24:00' -> None (end of day)."""
    hours, minutes = (int(part) for part in str(value).split(":"))
    if (hours, minutes) == (24, 0):
        return None
    return time(hours, minutes)


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
        language_detection=DetectionSettings(**raw["language_detection"]),
        service_hours=ServiceHoursSettings(
            timezone=hours["timezone"],
            opens=opens,
            closes=_parse_clock(hours["closes"]),
            expected_agent_wait_minutes=int(hours["expected_agent_wait_minutes"]),
        ),
        returns=ReturnSettings(**raw["returns"]),
        shipping=ShippingSettings(**raw["shipping"]),
        fallback=FallbackSettings(**raw["fallback"]),
    )


@cache
def load_settings(path: str | None = None) -> Settings:
    """Settings from `path`, `$BOT_SETTINGS`, or settings.yml at the project root."""
    chosen = Path(path or os.environ.get(SETTINGS_PATH_ENV) or PROJECT_ROOT / "settings.yml")
    with chosen.open(encoding="utf-8") as handle:
        return parse_settings(yaml.safe_load(handle))
