"""When human agents are online, from the service hours in settings.yml."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.settings import ServiceHoursSettings


def _local(now: datetime, hours: ServiceHoursSettings) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(hours.timezone))


def is_open(now: datetime, hours: ServiceHoursSettings) -> bool:
    clock = _local(now, hours).time()
    if hours.closes is None:  # open until midnight
        return clock >= hours.opens
    if hours.opens < hours.closes:
        return hours.opens <= clock < hours.closes
    return clock >= hours.opens or clock < hours.closes  # over midnight


def clock_label(value: time | None) -> str:
    """'06:00'; None (end of day) is '24:00'."""
    return "24:00" if value is None else value.strftime("%H:%M")
