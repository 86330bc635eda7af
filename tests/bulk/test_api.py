"""/api/v1/bulk-actions and /api/v1/bulk-invites: JSON in, JSON errors out, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crewbase.core.worker import WorkerLoop
from crewbase.people.models import Member, MemberStatus
from tests.api.client import ApiClient
from tests.bulk.builders import many_agents
from tests.conftest import builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


def upload(client: ApiClient, name: str, content: bytes):
    """A multipart upload with the client's session and CSRF header."""
    return client.client.post(
        "/api/v1/bulk-invites",
        {"file": SimpleUploadedFile(name, content, "text/csv")},
        headers=client.headers,
    )


def test_preview_run_poll_and_report():
    account, owner = make_account()
    agents = [make_member(account, "agent") for _ in range(2)]
    api = ApiClient(person=owner.person)
    body = {
        "action": "deactivate",
        "params": {"reason": "left_company"},
        "filter": {"status": "active"},
    }
    preview = api.post("/bulk-actions/preview", body)
    assert preview.status_code == 200, preview.json()
    data = preview.json()
    assert data["total"] == 3 and data["counts"] == {"change": 2, "unchanged": 0, "skip": 1}
    owner_row = next(r for r in data["rows"] if r["email"] == owner.email)
    assert owner_row == {
        "member_id": owner.pk,
        "email": owner.email,
        "name": owner.display_name,
        "outcome": "skip",
        "message": "the owner cannot be deactivated",
    }

    started = api.post("/bulk-actions", body)
    assert started.status_code == 201
    job = started.json()
    assert (job["status"], job["changed"], job["skipped"], job["percent"]) == ("done", 2, 1, 100)
    polled = api.get(f"/bulk-actions/{job['id']}?outcome=skipped").json()
    assert [r["email"] for r in polled["rows"]] == [owner.email]
    report = api.get(job["report_url"].removeprefix("/api/v1"))
    lines = b"".join(report.streaming_content).decode().splitlines()
    assert len(lines) == 4
    assert {a.email for a in agents} <= {line.split(",")[1] for line in lines[1:]}

    # The same request again: the agents no longer match "active"; the owner is still refused.
    again = api.post("/bulk-actions", body).json()
    assert (again["total"], again["changed"], again["skipped"]) == (1, 0, 1)
    ids = {"action": "deactivate", "member_ids": [a.pk for a in agents]}
    assert api.post("/bulk-actions", ids).json()["unchanged"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_big_job_is_accepted_for_the_worker_and_polled_to_the_end():
    account, owner = make_account()
    ids = many_agents(account, 220)
    api = ApiClient(person=owner.person)
    response = api.post(
        "/bulk-actions",
        {"action": "change_role", "params": {"role": builtin_role("editor").pk}, "member_ids": ids},
    )
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["done"], job["total"]) == ("pending", 0, 220)
    WorkerLoop(say=lambda line: None).run_once()
    polled = api.get(f"/bulk-actions/{job['id']}?limit=0").json()
    assert (polled["status"], polled["changed"], polled["rows"]) == ("done", 220, [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"action": "add_skill", "params": {"skill": 1, "level": "high"}, "member_ids": [1]},
            "skill",
        ),
        ({"action": "deactivate", "member_ids": [1], "filter": {"status": "active"}}, "member_ids"),
        ({"action": "deactivate", "member_ids": []}, "member_ids"),
        ({"action": "deactivate", "filter": {"team": "99999"}}, "team"),
        ({"action": "deactivate", "filter": {"status": ["a"]}}, "filter.status"),
        ({"action": "teleport", "member_ids": [1]}, "action"),
        ({"action": "deactivate", "member_ids": [1], "extra": 1}, "extra"),
    ],
)
def test_bad_requests_are_422_with_the_field(body, field):
    _account, owner = make_account()
    response = ApiClient(person=owner.person).post("/bulk-actions/preview", body)
    assert response.status_code == 422, response.content
    assert any(field in key for key in response.json()["errors"]), response.json()


def test_skill_levels_outside_the_range_are_refused_with_the_range():
    from crewbase.org.models import Skill

    account, owner = make_account()
    skill = Skill.objects.create(account=account, name="Chat", level_required=True)
    api = ApiClient(person=owner.person)
    for level in (0, 101, "high"):
        body = {
            "action": "add_skill",
            "params": {"skill": skill.pk, "level": level},
            "member_ids": [owner.pk],
        }
        response = api.post("/bulk-actions", body)
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "level": "must be a whole number from 1 to 100 for 'Chat'"
        }


def test_malformed_json_is_a_400_not_a_500():
    _account, owner = make_account()
    response = ApiClient(person=owner.person).post("/bulk-actions", raw=b"{nope")
    assert response.status_code in (400, 422)


def test_csv_upload_review_and_send_through_the_api():
    account, owner = make_account()
    api = ApiClient(person=owner.person)
    response = upload(
        api,
        "people.csv",
        b"\xef\xbb\xbfemail,role,teams\nana@example.com,Agent,\nbad,Agent,Ghosts\n",
    )
    assert response.status_code == 201, response.content
    review = response.json()
    assert (review["rows"], review["ready"], review["error"]) == (2, 1, 1)
    assert review["errors"] == [
        {"row": 3, "column": "email", "reason": "bad is not a valid email address"},
        {"row": 3, "column": "teams", "reason": "no team named 'Ghosts' in this account"},
    ]
    refused = api.post(f"/bulk-invites/{review['id']}/send", {"rows": [2, 3]})
    assert refused.status_code == 422
    assert Member.objects.filter(account=account, status=MemberStatus.INVITED).count() == 0
    sent = api.post(f"/bulk-invites/{review['id']}/send", {})
    assert sent.json() == {"id": review["id"], "status": "sent", "invited": 1, "skipped": 0}
    assert api.post(f"/bulk-invites/{review['id']}/send", {}).status_code == 409
    assert api.get(f"/bulk-invites/{review['id']}").json()["status"] == "sent"


def test_csv_upload_refusals():
    _account, owner = make_account()
    api = ApiClient(person=owner.person)
    # Signed-in API calls read the whole body before the CSRF check, so the request-size limit
    # (8 MB) refuses a 50 MB file first; either way a clear JSON refusal, never a 500.
    big = upload(api, "big.csv", b"email,role\n" + b"x" * (50 * 1024 * 1024))
    assert big.status_code == 413
    assert big.json()["error"] == "too_large"
    binary = upload(api, "cat.csv", bytes(range(256)) * 10)
    assert binary.status_code == 422
    assert "binary" in binary.json()["errors"]["file"]
    missing = upload(api, "people.csv", b"first name,last name\nAna,Lima\n")
    assert "missing columns email, role" in missing.json()["errors"]["file"]
    nothing = api.post("/bulk-invites", {})
    assert nothing.status_code == 422 and "file" in nothing.json()["errors"]
