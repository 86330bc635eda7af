"""scim2-tester's check_server against the live app: every check must pass (SSO-4)."""

import pytest
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from tests.scim.conftest import BASE_URL

FAILED = {Status.ERROR, Status.CRITICAL}


@pytest.mark.django_db(transaction=True)
def test_scim2_tester_finds_no_failure(scim_account, wsgi_app):
    token = scim_account[2]
    client = WSGISCIMClient(
        wsgi_app, base_url=BASE_URL, headers={"Authorization": f"Bearer {token}"}
    )
    results = check_server(client)
    failed = [r for r in results if r.status in FAILED]
    passed = [r for r in results if r.status == Status.SUCCESS]
    skipped = [r for r in results if r.status == Status.SKIPPED]
    print(
        f"\nscim2-tester: {len(results)} checks, {len(passed)} passed, "
        f"{len(skipped)} skipped, {len(failed)} failed"
    )
    for r in failed + skipped:
        print(r.status.name, r.resource_type, r.title, (r.reason or "")[:400])
    assert not failed
