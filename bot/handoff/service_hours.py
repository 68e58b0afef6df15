"""When human agents are online, from the service hours in settings.yml."""

from __future__ import annotations

from datetime import datetime, time, timedelta
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


def next_opening(now: datetime, hours: ServiceHoursSettings) -> datetime:
    """The next time agents come online (now itself when they are online), in the shop's zone."""
    local = _local(now, hours)
    if is_open(now, hours):
        return local
    today_opening = local.replace(hour=hours.opens.hour, minute=hours.opens.minute, second=0, microsecond=0)
    if today_opening > local:
        return today_opening
    zone = ZoneInfo(hours.timezone)
    tomorrow = (local + timedelta(days=1)).date()
    return datetime.combine(tomorrow, hours.opens, tzinfo=zone)
