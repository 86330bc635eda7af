"""Malformed requests get a clear JSON error naming the field, never a 500 (FAIL-1, FAIL-2)."""

from __future__ import annotations

import json

import pytest

from crewbase.access.actions import create_role
from crewbase.audit.models import ActivityEvent
from crewbase.people.models import Member
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"error", "message", "errors"}


@pytest.fixture
def scene():
    account, owner = make_account()
    target = make_member(account, "agent")
    return account, owner, target, ApiClient(person=owner.person)


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content[:400]
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["message"]
    if code:
        assert body["error"] == code
    return body


def test_wrong_json_types_are_422_naming_each_field(scene):
    account, _owner, target, api = scene
    body = assert_error(
        api.post(f"/members/{target.pk}/role", {"role_id": "4"}), 422, "validation_failed"
    )
    assert body["errors"] == {"body.role_id": "must be a whole number"}

    body = assert_error(
        api.post(f"/members/{target.pk}/agent-access", {"agent_access": "yes"}), 422
    )
    assert body["errors"] == {"body.agent_access": "must be true or false"}

    body = assert_error(
        api.post("/invitations", {"emails": 42, "role_id": None, "team_ids": ["x"]}), 422
    )
    assert set(body["errors"]) == {"body.emails", "body.role_id", "body.team_ids.0"}
    assert Member.objects.filter(account=account).count() == 2


def test_unknown_fields_and_missing_fields_are_named(scene):
    _, _, target, api = scene
    body = assert_error(api.patch(f"/members/{target.pk}", {"frist_name": "Ann"}), 422)
    assert body["errors"] == {"body.frist_name": "is not a known field"}
    body = assert_error(api.post("/roles", {"permissions": []}), 422)
    assert body["errors"] == {"body.name": "is required"}


def test_query_parameters_of_the_wrong_type_are_named(scene):
    _, _, _, api = scene
    body = assert_error(api.get("/activity?limit=lots&since=yesterday"), 422)
    assert set(body["errors"]) == {"query.limit", "query.since"}
    body = assert_error(api.get("/members?status=sleeping"), 422)
    assert body["errors"] == {"status": "must be one of: active, invited, expired, deactivated"}


def test_email_cannot_be_changed_and_nothing_else_is_applied(scene):
    _, _, target, api = scene
    body = assert_error(
        api.patch(f"/members/{target.pk}", {"first_name": "Changed", "email": "new@example.com"}),
        422,
    )
    assert body["errors"] == {"email": "email addresses cannot be changed"}
    target.refresh_from_db()
    assert target.first_name == "Pat"
    assert target.email != "new@example.com"


def test_a_role_of_another_account_is_422_naming_role(scene):
    _, _, target, api = scene
    _elsewhere, other_owner = make_account()
    foreign_role = create_role(actor=actor_for(other_owner), name="Theirs", permissions=[])
    body = assert_error(api.post(f"/members/{target.pk}/role", {"role_id": foreign_role.pk}), 422)
    assert set(body["errors"]) == {"role"}
    body = assert_error(
        api.post("/invitations", {"emails": "x@example.com", "role_id": foreign_role.pk}), 422
    )
    assert set(body["errors"]) == {"role"}
    target.refresh_from_db()
    assert target.role == builtin_role("agent")


def test_ids_that_do_not_exist_are_404(scene):
    _, _, _, api = scene
    for path in (
        "/members/987654",
        "/members/987654/activity",
        "/members/9223372036854775808",  # one past the largest 64-bit id
        "/roles/987654",
    ):
        assert_error(api.get(path), 404, "not_found")
    assert_error(api.post("/members/987654/deactivate"), 404)
    assert_error(api.delete("/invitations/987654"), 404)
    assert_error(api.delete("/api-tokens/987654"), 404)
    assert_error(api.get("/members/not-a-number"), 404)
    assert_error(api.get("/no/such/endpoint"), 404)


def test_a_10_mb_body_is_413_and_changes_nothing(scene):
    account, _, target, api = scene
    events_before = ActivityEvent.objects.filter(account=account).count()
    padding = "x" * (10 * 1024 * 1024)
    response = api.patch(f"/members/{target.pk}", raw=json.dumps({"first_name": padding}).encode())
    assert_error(response, 413, "too_large")
    # Also without a session (the size check comes before authentication can matter).
    assert_error(ApiClient().post("/invitations/accept", raw=b"x" * (10 * 1024 * 1024)), 413)
    assert ActivityEvent.objects.filter(account=account).count() == events_before


def test_malformed_json_and_non_utf8_bytes_are_400(scene):
    _, _, target, api = scene
    path = f"/members/{target.pk}"
    assert assert_error(api.patch(path, raw=b'{"first_name": '), 400)["errors"] == {
        "body": "not valid JSON"
    }
    assert assert_error(api.patch(path, raw=b'{"first_name": "\xff\xfeA"}'), 400)["errors"] == {
        "body": "not UTF-8"
    }
    assert_error(api.patch(path, raw=b"[" * 100_000), 400)


def test_nul_characters_and_lone_surrogates_are_refused_by_field(scene):
    _, _, target, api = scene
    path = f"/members/{target.pk}"
    body = assert_error(api.patch(path, raw=b'{"first_name": "A\\u0000B"}'), 422)
    assert body["errors"] == {"body.first_name": "must not contain NUL characters"}
    body = assert_error(api.patch(path, raw=b'{"last_name": "\\ud800"}'), 422)
    assert body["errors"] == {
        "body.last_name": "contains characters that are not valid Unicode text"
    }
    body = assert_error(api.get("/activity?type=a%00b"), 422)
    assert body["errors"] == {"query.type": "must not contain NUL characters"}


def test_emoji_and_accents_in_names_are_kept(scene):
    _, _, target, api = scene
    response = api.patch(f"/members/{target.pk}", {"first_name": "Zoë 🚀", "last_name": "Łukasz"})
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Zoë 🚀 Łukasz"
    target.refresh_from_db()
    assert target.first_name == "Zoë 🚀"


def test_out_of_range_times_are_refused_not_crashed(scene):
    _, _, _, api = scene
    body = assert_error(api.get("/activity?since=0001-01-01T00:00:00%2B23:59"), 422)
    assert body["errors"] == {"query.since": "is out of range"}
    body = assert_error(
        api.post(
            "/api-tokens",
            {"name": "far", "scopes": ["users.view"], "expires_at": "0001-01-01T00:00:00+23:59"},
        ),
        422,
    )
    assert body["errors"] == {"expires_at": "is out of range"}


def test_no_malformed_input_produces_a_server_error(scene):
    _, _, target, api = scene
    bodies = [
        b"",
        b"null",
        b"[]",
        b'"text"',
        b"1e999999",
        b'{"role_id": 1e400}',
        b'{"role_id": 99999999999999999999999999}',
        b'{"role_id": -1}',
        b'{"role_id": true}',
        b'{"a": {"b": {"c": {"d": [[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]}}}}',
        '{"emails": "\u202e\ufeff@\u0000"}'.encode("utf-8", "surrogatepass"),
        b"\x00\x01\x02",
    ]
    paths = [
        ("post", f"/members/{target.pk}/role"),
        ("post", "/invitations"),
        ("patch", f"/members/{target.pk}"),
        ("post", "/roles"),
        ("post", "/api-tokens"),
        ("post", "/invitations/accept"),
        ("post", f"/members/{target.pk}/deactivate"),
    ]
    for method, path in paths:
        for raw in bodies:
            response = api.request(method, path, raw=raw)
            assert response.status_code < 500, (method, path, raw, response.content)
            assert set(response.json()) >= {"error", "message"} or response.status_code < 300
