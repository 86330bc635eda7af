from datetime import timedelta

import pytest
from django.db import OperationalError

from crewbase.core import clock, views
from crewbase.core.worker import STALE_AFTER, WorkerLoop
from tests.core.outbox_rows import queue_plain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_clock():
    yield
    clock.freeze(None)


def test_fresh_install_reports_database_ok_and_worker_never_seen(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "worker": "never seen",
        "outbox_pending": 0,
        "oldest_pending_seconds": 0,
    }


def test_worker_heartbeat_is_ok_then_stale(client):
    WorkerLoop(say=lambda _: None).heartbeat()
    assert client.get("/healthz").json()["worker"] == "ok"
    clock.freeze(clock.now() + STALE_AFTER + timedelta(seconds=1))
    assert client.get("/healthz").json()["worker"] == "stale"


def test_reports_pending_mail_and_the_age_of_the_oldest(client):
    queue_plain("a@example.com")
    queue_plain("b@example.com")
    clock.freeze(clock.now() + timedelta(seconds=90))
    body = client.get("/healthz").json()
    assert body["outbox_pending"] == 2
    assert 90 <= body["oldest_pending_seconds"] <= 95


def test_database_down_is_503_not_a_crash(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
