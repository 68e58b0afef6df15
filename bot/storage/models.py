"""Tables of the bot's own data (Rasa keeps its conversations in its own `events` table).

Each area keeps its tables beside its services (bot/orders/models.py, bot/handoff/models.py,
bot/returns/models.py); `all_models()` imports them so migrations see one metadata.
"""

from __future__ import annotations

from bot.storage.base import Base


def all_models() -> type[Base]:
    """The shared base with every table of the bot registered on its metadata."""
    import bot.handoff.models  # noqa: F401
    import bot.help.models  # noqa: F401
    import bot.orders.models  # noqa: F401
    import bot.returns.models  # noqa: F401
    import bot.storage.rate_limits  # noqa: F401

    return Base
