from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.handoff.service_hours import clock_label, is_open
from bot.settings import ServiceHoursSettings, load_settings

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = load_settings().service_hours


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (berlin(2026, 11, 24, 5, 59), False),
        (berlin(2026, 11, 24, 6, 0), True),
        (berlin(2026, 11, 28, 13, 0), True),  # Saturday
        (berlin(2026, 12, 25, 23, 59), True),  # holiday
        (berlin(2026, 11, 25, 0, 0), False),
        (berlin(2026, 11, 25, 3, 30), False),
    ],
)
def test_agents_work_six_to_midnight_berlin_time_every_day(moment, expected):
    assert is_open(moment, HOURS) is expected


def test_utc_input_is_converted_to_berlin_time():
    # 04:30 UTC is 05:30 in Berlin in winter (closed) and 06:30 in summer (open).
    assert not is_open(datetime(2026, 1, 10, 4, 30, tzinfo=UTC), HOURS)
    assert is_open(datetime(2026, 7, 10, 4, 30, tzinfo=UTC), HOURS)


def test_hours_over_midnight_and_within_a_day():
    night = ServiceHoursSettings("Europe/Berlin", time(22, 0), time(2, 0), 1)
    assert is_open(berlin(2026, 11, 24, 23, 0), night)
    assert is_open(berlin(2026, 11, 24, 1, 0), night)
    assert not is_open(berlin(2026, 11, 24, 12, 0), night)
    office = ServiceHoursSettings("Europe/Berlin", time(9, 0), time(17, 0), 1)
    assert not is_open(berlin(2026, 11, 24, 17, 0), office)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        is_open(datetime(2026, 11, 24, 12, 0), HOURS)


def test_clock_labels():
    assert clock_label(time(6, 0)) == "06:00"
    assert clock_label(None) == "24:00"
