"""Two callers racing through the API: one wins, the other gets a clear refusal, never a 500."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from crewbase.access.models import Role
from tests.api.client import ApiClient
from tests.conftest import make_account, make_member

ATTEMPTS = 6


@pytest.mark.django_db(transaction=True)
def test_admins_creating_the_same_role_at_once_get_one_role_and_no_server_error():
    account, _owner = make_account()
    admins = [make_member(account, "admin") for _ in range(ATTEMPTS)]
    clients = [ApiClient(person=admin.person) for admin in admins]
    statuses: list[int] = []
    start = threading.Barrier(ATTEMPTS)

    def create(client):
        try:
            start.wait()
            response = client.post("/roles", {"name": "Night shift", "permissions": []})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses).count(201) == 1, statuses
    assert set(statuses) <= {201, 409, 422}, statuses
    assert Role.objects.filter(account=account, name__iexact="night shift").count() == 1
