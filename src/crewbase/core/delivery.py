"""Delivery of outbox rows by the worker. (Filled in by the worker work: see core/worker.py.)"""


def enqueue_delivery() -> None:
    """Ask the worker to look at the outbox now; its periodic sweep covers a lost request."""
