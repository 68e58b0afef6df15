"""Values that answers quote from settings.yml, formatted for the customer's language."""

from __future__ import annotations

from bot.service_hours import clock_label
from bot.settings import Settings

# Languages that write 3.99 rather than 3,99.
_DECIMAL_POINT_LANGUAGES = {"en"}


def format_amount(amount: float, language: str) -> str:
    text = f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
    return text if language in _DECIMAL_POINT_LANGUAGES else text.replace(".", ",")


def answer_variables(settings: Settings, language: str) -> dict[str, str]:
    """Slot name -> text, for the {placeholders} in the domain (domain/*.yml)'s responses."""
    hours = settings.service_hours
    return {
        "return_window_days": str(settings.returns.return_window_days),
        "refund_days": str(settings.returns.refund_days),
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
