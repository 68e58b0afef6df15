"""Values that answers quote from settings.yml, formatted for the customer's language."""

from __future__ import annotations

from datetime import date

from bot.formatting import day_and_month
from bot.handoff.service_hours import clock_label
from bot.settings import Settings

# Languages that write 3.99 rather than 3,99.
_DECIMAL_POINT_LANGUAGES = {"en"}


def format_amount(amount: float, language: str) -> str:
    text = f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
    return text if language in _DECIMAL_POINT_LANGUAGES else text.replace(".", ",")


def answer_variables(settings: Settings, language: str) -> dict[str, str]:
    """Slot name -> text, for the {placeholders} in the domain (domain/*.yml)'s responses."""
    hours = settings.service_hours
    season = settings.returns.seasonal_extension

    def season_day(month_day: tuple[int, int]) -> str:
        return day_and_month(date(2000, *month_day), language)  # a leap year: any day exists

    return {
        "return_window_days": str(settings.returns.return_window_days),
        "refund_days": str(settings.returns.refund_days),
        "seasonal_from": season_day(season.placed_from),
        "seasonal_until": season_day(season.placed_until),
        "seasonal_returnable_until": season_day(season.returnable_until),
        "ebook_cancellation_days": str(settings.returns.ebook_cancellation_days),
        "label_link_valid_hours": str(settings.returns.label_link_valid_hours),
        "opens_at": clock_label(hours.opens),
        "closes_at": clock_label(hours.closes),
        "agent_wait_minutes": str(hours.expected_agent_wait_minutes),
        "free_shipping_threshold": format_amount(
            settings.shipping.free_shipping_threshold_eur, language
        ),
        "standard_shipping_fee": format_amount(
            settings.shipping.standard_shipping_fee_eur, language
        ),
    }
