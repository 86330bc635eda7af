"""The one place that reads the time, so tests can move it."""

from datetime import datetime

from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen or timezone.now()


def freeze(at: datetime | None) -> None:
    """Pin now() to `at` (None releases it). For tests and the demo only."""
    global _frozen
    _frozen = at
