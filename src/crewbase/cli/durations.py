"""Reading expiry times typed on the command line: `30d`, `12h` or a date `YYYY-MM-DD`."""

import re
from datetime import UTC, date, datetime, time, timedelta

from crewbase.cli.base import bad_input
from crewbase.core import clock

RELATIVE = re.compile(r"^(\d{1,5})([dh])$")


def parse_expiry(text: str, option: str = "--expires") -> datetime:
    """A moment in the future: now + N days/hours, or 00:00 UTC at the start of a date."""
    value = (text or "").strip().lower()
    match = RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount < 1:
            raise bad_input(f"{option}: must be at least 1{unit}")
        delta = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
        return clock.now() + delta
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise bad_input(
            f"{option}: {text!r} is not a duration like 30d or 12h, nor a date like 2026-12-31"
        ) from None
    return datetime.combine(day, time.min, tzinfo=UTC)
