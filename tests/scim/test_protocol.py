"""Tokens, tenancy, filters, pagination and bad input: never a 500 (SSO-4, FAIL-2, FAIL-4)."""

import pytest

from crewbase.identity.scim.models import ScimToken
from tests.conftest import make_account, make_member
from tests.scim.conftest import scim_token

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def query(scim, path, text):
    response = scim.call("GET", path, QUERY_STRING=text)
    assert response.status_code == 200, response.content
    return response.json()


def test_another_accounts_token_sees_nothing_of_this_account(scim):
    other, other_owner = make_account()
    other_token = scim_token(other_owner)
    theirs = make_member(other, "agent")
    assert scim.call("GET", f"/Users/{theirs.pk}").status_code == 404
    assert scim.call("DELETE", f"/Users/{theirs.pk}").status_code == 404
    ids = {r["id"] for r in query(scim, "/Users", "count=200")["Resources"]}
    assert str(theirs.pk) not in ids and str(scim.owner.pk) in ids
    found = query(scim, "/Users", f'filter=userName eq "{theirs.email}"')
    assert found["totalResults"] == 0
    assert scim.call("GET", f"/Users/{scim.owner.pk}", token=other_token).status_code == 404


def test_no_token_a_wrong_token_and_a_rotated_token_are_refused(scim):
    assert scim.call("GET", "/Users", token="nope").status_code == 401
    assert scim.call("GET", "/Users", HTTP_AUTHORIZATION="").status_code == 401
    old = scim.token
    new = scim_token(scim.owner)
    refused = scim.call("GET", "/Users", token=old)
    assert refused.status_code == 401 and refused.json()["status"] == "401"
    assert scim.call("GET", "/Users", token=new).status_code == 200
    assert ScimToken.objects.get(account=scim.account).last_used_at is not None


@pytest.mark.parametrize(
    ("method", "path", "body", "scim_type"),
    [
        ("POST", "/Users", "{not json", "invalidSyntax"),
        ("POST", "/Users", "[1, 2]", "invalidSyntax"),
        ("POST", "/Users", {"schemas": [USER], "userName": 5, "emails": "x"}, None),
        ("POST", "/Users", {"schemas": [USER], "userName": "not-an-email"}, None),
        ("POST", "/Groups", {"schemas": [GROUP]}, None),
        ("POST", "/Users/.search", {"filter": "userName eq"}, "invalidFilter"),
        ("POST", "/Users/.search", {"filter": 'nickName eq "x"'}, "invalidFilter"),
        ("POST", "/Users/.search", {"startIndex": "one"}, "invalidValue"),
        ("POST", "/.search", {"filter": '((userName eq "a"'}, "invalidFilter"),
    ],
)
def test_malformed_input_is_a_400_scim_error(scim, method, path, body, scim_type):
    response = scim.call(method, path, body)
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["status"] == "400" and error["detail"]
    if scim_type:
        assert error["scimType"] == scim_type


def test_malformed_patch_and_filters_in_the_query_string(scim):
    member = make_member(scim.account, "agent")
    for body in [
        {"Operations": [{"op": "explode", "path": "active"}]},
        {"Operations": []},
        {"Operations": [{"op": "replace", "path": "nosuch[", "value": 1}]},
        {"Operations": [{"op": "replace", "path": "active", "value": {"a": 1}}]},
    ]:
        response = scim.call("PATCH", f"/Users/{member.pk}", body)
        assert response.status_code == 400, (body, response.content)
    for text in ["filter=userName%20zz%20%22a%22", "filter=%22", "count=x"]:
        assert scim.call("GET", "/Users", QUERY_STRING=text).status_code == 400


def test_filters_eq_co_sw_pr_and_or_and_pagination(scim):
    for n in range(5):
        make_member(scim.account, "agent", email=f"agent{n}@crew.test")
    make_member(scim.account, "agent", email="someone@else.test")
    assert query(scim, "/Users", 'filter=userName sw "agent"')["totalResults"] == 5
    assert query(scim, "/Users", 'filter=emails.value co "crew.test"')["totalResults"] == 5
    assert query(scim, "/Users", 'filter=emails[value eq "agent1@crew.test"]')["totalResults"] == 1
    both = 'filter=userName eq "agent1@crew.test" or userName eq "someone@else.test"'
    assert query(scim, "/Users", both)["totalResults"] == 2
    narrow = 'filter=userName sw "agent" and active eq true and not (userName ew "0@crew.test")'
    assert query(scim, "/Users", narrow)["totalResults"] == 4
    assert query(scim, "/Users", "filter=externalId pr")["totalResults"] == 0
    page = query(scim, "/Users", 'filter=userName sw "agent"&startIndex=2&count=2')
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    assert [r["userName"] for r in page["Resources"]] == ["agent1@crew.test", "agent2@crew.test"]
    only = query(scim, "/Users", 'filter=userName eq "agent3@crew.test"&attributes=userName')
    assert set(only["Resources"][0]) == {"id", "schemas", "userName"}


def test_groups_are_teams_and_membership_goes_through_team_actions(scim):
    from crewbase.audit.models import ActivityEvent
    from crewbase.org.models import Team

    agent = make_member(scim.account, "agent")
    created = scim.call(
        "POST",
        "/Groups",
        {"schemas": [GROUP], "displayName": "Tier 2", "members": [{"value": str(agent.pk)}]},
    )
    assert created.status_code == 201, created.content
    team = Team.objects.get(account=scim.account, name="Tier 2")
    assert list(team.members.all()) == [agent]
    clash = scim.call("POST", "/Groups", {"schemas": [GROUP], "displayName": "tier 2"})
    assert clash.status_code == 409 and clash.json()["scimType"] == "uniqueness"
    found = query(scim, "/Groups", 'filter=displayName eq "TIER 2"')
    assert [g["id"] for g in found["Resources"]] == [str(team.pk)]
    removed = scim.call(
        "PATCH",
        f"/Groups/{team.pk}",
        {"Operations": [{"op": "Remove", "path": "members", "value": [{"value": str(agent.pk)}]}]},
    )
    assert removed.status_code == 200, removed.content
    assert not team.members.exists()
    actions = set(
        ActivityEvent.objects.filter(account=scim.account, actor_kind="scim").values_list(
            "action", flat=True
        )
    )
    assert {"team.created", "team.members_added", "team.members_removed"} <= actions
    stranger = make_member(make_account()[0], "agent")
    refused = scim.call(
        "PATCH",
        f"/Groups/{team.pk}",
        {"Operations": [{"op": "add", "path": "members", "value": [{"value": str(stranger.pk)}]}]},
    )
    assert refused.status_code == 400 and str(stranger.pk) in refused.json()["detail"]
