"""The one clock: every "now" and "today" of the platform is read here.

Services, selectors, figures, documents, scheduled jobs and the demo all ask this module, never
``timezone.now()``, ``date.today()`` or ``time.time()`` directly (``tests/core/test_clock.py``
fails the build on any other call). That gives one place to read when a date matters, and one
thing for a test to move: tests freeze or move it with time-machine (``tests/conftest.py``'s
``clock`` fixture and the ``--clock`` option), which moves this clock and Django's together.

"Today" is the local date in the platform's time zone (``TIME_ZONE``, Asia/Shanghai), which is
what deadlines in working days, report periods and the demo count from.
"""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, time-zone aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date where the committee works (the local time zone)."""
    return timezone.localdate(timezone.now())


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in the local time zone."""
    return timezone.localtime(moment)


def timestamp() -> float:
    """Seconds since the epoch, for ages of cached values and replay windows."""
    return time.time()


def at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """The aware local moment ``hour:minute`` on ``day``."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def written(value: dt.date | dt.datetime) -> str:
    """A date as official documents write it: 2022年1月1日 (no leading zeros; a moment in
    local time)."""
    day = local(value).date() if isinstance(value, dt.datetime) else value
    return f"{day.year}年{day.month}月{day.day}日"
