"""The organisation endpoints over real HTTP handling: shapes, errors, tenancy, permissions."""

from __future__ import annotations

import pytest

from crewbase.org.models import MemberSkill, Queue, Team
from tests.api.client import ApiClient
from tests.conftest import make_account, make_member

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"error", "message", "errors"}


@pytest.fixture
def scene():
    account, owner = make_account(paid_agent_seats=5)
    return account, owner, ApiClient(person=owner.person)


def assert_error(response, status):
    assert response.status_code == status, response.content[:400]
    body = response.json()
    assert set(body) == ERROR_KEYS and body["message"]
    return body


@pytest.mark.parametrize("prefix", ["/teams", "/divisions"])
def test_group_lifecycle_over_the_api(scene, prefix):
    account, _owner, api = scene
    created = api.post(prefix, {"name": "Support", "description": "Tier 1"})
    assert created.status_code == 201, created.content
    group_id = created.json()["id"]
    assert created.json()["member_count"] == 0

    body = assert_error(api.post(prefix, {"name": "support"}), 422)
    assert set(body["errors"]) == {"name"}

    one, two = make_member(account), make_member(account)
    added = api.post(f"{prefix}/{group_id}/members", {"member_ids": [one.pk, two.pk]})
    assert added.status_code == 200, added.content
    assert {m["id"] for m in added.json()["changed"]} == {one.pk, two.pk}
    assert added.json()["group"]["member_count"] == 2

    removed = api.delete(f"{prefix}/{group_id}/members", body={"member_ids": [one.pk]})
    assert removed.status_code == 200, removed.content
    assert [m["id"] for m in removed.json()["group"]["members"]] == [two.pk]

    renamed = api.patch(f"{prefix}/{group_id}", {"name": "Support EU"})
    assert renamed.json()["name"] == "Support EU"
    listed = api.get(prefix).json()
    assert [(g["name"], g["member_count"]) for g in listed] == [("Support EU", 1)]

    assert api.delete(f"{prefix}/{group_id}").status_code == 204
    assert_error(api.get(f"{prefix}/{group_id}"), 404)


def test_another_accounts_ids_are_404_or_422(scene):
    _account, _owner, api = scene
    other, _other_owner = make_account()
    theirs = Team.objects.create(account=other, name="Theirs")
    stranger = make_member(other)
    assert_error(api.get(f"/teams/{theirs.pk}"), 404)
    assert_error(api.patch(f"/teams/{theirs.pk}", {"name": "Mine now"}), 404)
    assert_error(api.delete(f"/teams/{theirs.pk}"), 404)
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"

    mine = api.post("/teams", {"name": "Mine"}).json()["id"]
    body = assert_error(api.post(f"/teams/{mine}/members", {"member_ids": [stranger.pk]}), 422)
    assert set(body["errors"]) == {"member_ids"}
    assert stranger.email not in body["message"]
    assert_error(api.get(f"/members/{stranger.pk}/skills"), 404)


def test_an_agent_may_list_but_gets_403_on_changes(scene):
    account, _owner, api = scene
    agent = make_member(account, "agent", agent_access=True)
    team_id = api.post("/teams", {"name": "Shared"}).json()["id"]
    as_agent = ApiClient(person=agent.person)
    assert as_agent.get("/teams").status_code == 200
    assert_error(as_agent.post("/teams", {"name": "Agent's"}), 403)
    assert_error(as_agent.post(f"/teams/{team_id}/members", {"member_ids": [agent.pk]}), 403)
    assert_error(as_agent.post("/skills", {"name": "Mine"}), 403)
    assert Team.objects.filter(account=account).count() == 1


def test_queue_members_refuse_a_non_agent_by_name(scene):
    account, _owner, api = scene
    agent = make_member(account, agent_access=True)
    not_agent = make_member(account, agent_access=False)
    queue_id = api.post("/queues", {"name": "Returns"}).json()["id"]

    body = assert_error(
        api.request("PUT", f"/queues/{queue_id}/members", {"member_ids": [agent.pk, not_agent.pk]}),
        422,
    )
    assert body["errors"] == {"member_ids": f"{not_agent.email} has no agent access"}
    assert Queue.objects.get(pk=queue_id).members.count() == 0

    done = api.request("PUT", f"/queues/{queue_id}/members", {"member_ids": [agent.pk]})
    assert done.status_code == 200, done.content
    assert [m["id"] for m in done.json()["members"]] == [agent.pk]


def test_skills_over_the_api(scene):
    account, _owner, api = scene
    body = assert_error(api.post("/skills", {"name": "Bad", "min_level": 0}), 422)
    assert set(body["errors"]) == {"min_level"}
    created = api.post(
        "/skills", {"name": "Spanish", "level_required": True, "min_level": 1, "max_level": 5}
    )
    assert created.status_code == 201, created.content
    skill_id = created.json()["id"]
    member = make_member(account)

    for level in (0, 101, "high", 6, None):
        body = assert_error(
            api.post(f"/members/{member.pk}/skills", {"skill_id": skill_id, "level": level}), 422
        )
        assert "from 1 to 5" in body["errors"]["level"], body

    assigned = api.post(f"/members/{member.pk}/skills", {"skill_id": skill_id, "level": 3})
    assert assigned.json() == [{"skill_id": skill_id, "name": "Spanish", "level": 3}]
    assert api.get("/skills").json()[0]["member_count"] == 1

    other = make_member(account)
    bulk = api.post(
        f"/skills/{skill_id}/bulk-assign", {"member_ids": [member.pk, other.pk], "level": 4}
    )
    assert bulk.status_code == 200, bulk.content
    assert {r["member"]["id"]: r["result"] for r in bulk.json()} == {
        member.pk: "updated",
        other.pk: "assigned",
    }

    changed = api.patch(f"/skills/{skill_id}", {"max_level": 3})
    body = assert_error(changed, 422)
    assert set(body["errors"]) == {"min_level"}
    changed = api.patch(f"/skills/{skill_id}", {"name": "Spanish B", "max_level": 4})
    assert (changed.json()["name"], changed.json()["max_level"]) == ("Spanish B", 4)

    removed = api.delete(f"/members/{member.pk}/skills", body={"skill_id": skill_id})
    assert removed.json() == []
    assert list(MemberSkill.objects.values_list("member_id", flat=True)) == [other.pk]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/teams", {"name": 5}),
        ("POST", "/teams", {"name": "x" * 500}),
        ("POST", "/teams", {"nmae": "Typo"}),
        ("POST", "/teams/1/members", {"member_ids": "1,2"}),
        ("POST", "/teams/99999999999999999999/members", {"member_ids": [1]}),
        ("PUT", "/queues/1/members", {"member_ids": [0]}),
        ("POST", "/skills", {"name": "A", "max_level": "lots"}),
        ("POST", "/skills/1/bulk-assign", {"member_ids": [1], "level": [1]}),
        ("POST", "/members/1/skills", {"skill_id": "1"}),
        ("DELETE", "/members/1/skills", None),
        ("PATCH", "/divisions/1", []),
        ("PATCH", "/skills/1", {"min_level": "low"}),
    ],
)
def test_bad_input_is_a_clear_error_never_a_500(scene, method, path, body):
    _account, _owner, api = scene
    response = api.request(method, path, body)
    assert 400 <= response.status_code < 500, response.content[:400]
    assert set(response.json()) == ERROR_KEYS
