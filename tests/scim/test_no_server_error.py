"""No SCIM request, however malformed, is answered with a server error (FAIL-2)."""

import pytest

from crewbase.org.models import Team
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

BODIES = [
    "",
    {},
    {"schemas": 5},
    {"userName": None},
    {"userName": ["a"]},
    {"userName": "a@b.example", "emails": [{"value": 5}]},
    {"userName": "a@b.example", "emails": [{"value": "not-an-email"}]},
    {"userName": "a@b.example", "active": "maybe"},
    {"userName": "a@b.example", "name": "x"},
    {"userName": "a@b.example", "phoneNumbers": [{"value": "1" * 100}]},
    {"userName": "a@b.example", "name": {"givenName": "x" * 300}},
    {"userName": "x" * 300},
    {"userName": "a@b.example", "externalId": "e" * 300},
    {"userName": "a@b.example", "displayName": "a\x00b"},
    {"displayName": None},
    {"displayName": "x" * 300},
    {"displayName": "ok", "members": [{"value": "abc"}]},
    {"displayName": "ok", "members": [{"value": "9" * 30}]},
    {"displayName": "ok", "members": "x"},
    {"Operations": "x"},
    {"Operations": [5]},
    {"Operations": [{"op": "remove"}]},
    {"Operations": [{"op": "add", "path": "members", "value": [{"value": "zz"}]}]},
    {"Operations": [{"op": "replace", "path": "userName"}]},
    {"Operations": [{"op": "replace", "path": "emails[value eq 1]", "value": 2}]},
    {"Operations": [{"op": "replace", "path": "groups", "value": []}]},
    {"Operations": [{"op": "replace", "path": "id", "value": "5"}]},
    {"Operations": [{"op": "replace", "value": {"userName": None}}]},
    {"Operations": [{"op": "remove", "path": "emails"}]},
    {"Operations": [{"op": "replace", "path": "displayName", "value": "a\x00b"}]},
]
QUERIES = [
    "startIndex=-5&count=-1",
    "count=99999999999999999999",
    "attributes=name.givenName,emails.value",
    "excludedAttributes=members",
    'filter=meta.created gt "garbage"',
    'filter=id eq "x"',
    'filter=members eq "99999999999999999999999"',
    'filter=active eq "yes"',
    "filter=userName gt 5",
    'filter=emails[type eq "work"]',
    "filter=" + "a" * 3000,
]


def test_no_request_is_answered_with_a_server_error(scim):
    member = make_member(scim.account, "agent")
    team = Team.objects.create(account=scim.account, name="Tier 1")
    paths = [
        "/Users",
        "/Groups",
        f"/Users/{member.pk}",
        f"/Groups/{team.pk}",
        "/Users/99999999999999999999999",
        "/Users/.search",
        "/.search",
    ]
    server_errors = []
    for path in paths:
        for method in ("POST", "PUT", "PATCH"):
            for body in BODIES:
                response = scim.call(method, path, body)
                if response.status_code >= 500:
                    server_errors.append((method, path, body, response.content[:200]))
        for query in QUERIES:
            response = scim.call("GET", path, QUERY_STRING=query)
            if response.status_code >= 500:
                server_errors.append(("GET", path, query, response.content[:200]))
    assert not server_errors
