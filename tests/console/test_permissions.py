"""Pages a role does not allow are hidden from navigation and answer 403; other accounts 404."""

import pytest

from tests.console.conftest import signed_in


def test_signed_out_visitors_are_sent_to_sign_in(client, scene):
    for url in ("/members/", "/members/invite/", f"/members/{scene['agent'].pk}/"):
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


def test_agent_navigation_hides_what_the_role_does_not_allow(scene):
    owner_page = signed_in(scene["owner"]).get("/members/")
    assert '<a href="/members/invite/"' in owner_page.text
    agent_page = signed_in(scene["agent"]).get("/members/")
    assert agent_page.status_code == 200  # agents hold users.view
    assert 'href="/members/invite/"' not in agent_page.text
    profile = signed_in(scene["agent"]).get(f"/members/{scene['owner'].pk}/")
    assert profile.status_code == 200
    assert "Deactivate" not in profile.text and "Save profile" not in profile.text


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/members/invite/"),
        ("post", "/members/invite/"),
        ("post", "/members/{id}/edit/"),
        ("post", "/members/{id}/role/"),
        ("post", "/members/{id}/agent-access/"),
        ("get", "/members/{id}/deactivate/"),
        ("post", "/members/{id}/deactivate/"),
        ("post", "/members/{id}/reset-password/"),
        ("get", "/members/{id}/delete/"),
        ("get", "/members/{id}/offboard/"),
        ("post", "/members/{id}/sign-out/"),
    ],
)
def test_agent_is_refused_admin_pages_with_a_plain_403(scene, method, path):
    client = signed_in(scene["agent"])
    url = path.format(id=scene["owner"].pk)
    page = getattr(client, method)(url, {"role": "1", "emails": "a@example.com"})
    assert page.status_code == 403
    assert "Not allowed" in page.text and "users." in page.text


@pytest.mark.parametrize(
    "path",
    ["/members/{id}/", "/members/{id}/deactivate/", "/members/{id}/delete/", "/members/{id}/edit/"],
)
def test_another_accounts_member_is_not_found(scene, path):
    client = signed_in(scene["owner"])
    url = path.format(id=scene["stranger"].pk)
    page = client.post(url, {}) if url.endswith("edit/") else client.get(url)
    assert page.status_code == 404


@pytest.mark.parametrize("member_id", ["abc", "0", "99999999999999999999999", "-1", "1e3"])
def test_junk_member_ids_are_not_found(scene, member_id):
    assert signed_in(scene["owner"]).get(f"/members/{member_id}/").status_code == 404
