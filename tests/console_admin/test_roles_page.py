"""/roles/: the permission matrix, create by cloning, edit, delete, and who may do each."""

import pytest

from crewbase.access.actions import create_role
from crewbase.access.models import Role
from crewbase.audit.models import ActivityEvent
from tests.conftest import actor_for, builtin_role, make_member
from tests.console_admin.conftest import client_for


def _custom(account, owner, name="Tier 2", permissions=("users.view",)):
    return create_role(actor=actor_for(owner), name=name, permissions=list(permissions))


def test_matrix_shows_every_role_with_text_alternatives(scene):
    _custom(scene.account, scene.owner)
    page = client_for(scene.agent).get("/roles/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Admin", "Supervisor", "Editor", "Agent", "Read-only", "Tier 2"):
        assert name in html
    assert "Granted" in html and "Not granted" in html
    assert "Delete tickets" in html
    # An agent may look but not change: no create or clone links.
    assert "Create a role" not in html and "clone_of" not in html


def test_other_accounts_custom_roles_are_not_listed(scene):
    create_role(actor=actor_for(scene.other_owner), name="Secret Squad", permissions=[])
    html = client_for(scene.owner).get("/roles/").content.decode()
    assert "Secret Squad" not in html


def test_agent_cannot_create_edit_or_delete(scene):
    role = _custom(scene.account, scene.owner)
    client = client_for(scene.agent)
    assert client.get("/roles/new/").status_code == 403
    assert client.post("/roles/new/", {"name": "Mine"}).status_code == 403
    assert client.post(f"/roles/{role.pk}/", {"name": "Hacked"}).status_code == 403
    assert client.post(f"/roles/{role.pk}/delete/").status_code == 403
    role.refresh_from_db()
    assert role.name == "Tier 2"


def test_clone_prefills_then_creates_with_the_toggled_permissions(scene):
    client = client_for(scene.admin)
    supervisor = builtin_role("supervisor")
    form = client.get(f"/roles/new/?clone_of={supervisor.pk}").content.decode()
    assert 'value="Copy of Supervisor"' in form
    assert 'value="analytics.view"' in form and "checked" in form
    wanted = [*supervisor.permissions, "tickets.delete"]
    response = client.post(
        "/roles/new/", {"clone_of": supervisor.pk, "name": "Manager", "permissions": wanted}
    )
    role = Role.objects.get(account=scene.account, name="Manager")
    assert response.status_code == 302 and response["Location"] == f"/roles/{role.pk}/"
    assert set(role.permissions) == set(wanted)
    event = ActivityEvent.objects.get(account=scene.account, action="role.created")
    assert "tickets.delete" in event.after["permissions"]


def test_duplicate_name_is_shown_on_the_name_field(scene):
    _custom(scene.account, scene.owner, name="Tier 2")
    response = client_for(scene.admin).post("/roles/new/", {"name": "tier 2"})
    assert response.status_code == 422
    assert "already exists" in response.context["form"].errors["name"][0]


def test_cannot_grant_a_permission_one_does_not_hold(scene):
    manager_role = _custom(
        scene.account, scene.owner, name="Role admin", permissions=("users.view", "roles.manage")
    )
    manager = make_member(scene.account, manager_role)
    response = client_for(manager).post(
        "/roles/new/", {"name": "Big", "permissions": ["billing.manage"]}
    )
    assert response.status_code == 403
    assert "billing.manage" in response.context["form"].errors["permissions"][0]
    assert not Role.objects.filter(name="Big").exists()


def test_edit_renames_and_changes_permissions(scene):
    role = _custom(scene.account, scene.owner)
    response = client_for(scene.admin).post(
        f"/roles/{role.pk}/",
        {"name": "Tier 3", "description": "escalations", "permissions": ["tickets.view_all"]},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.name, role.permissions) == ("Tier 3", ["tickets.view_all"])


def test_builtin_roles_are_read_only(scene):
    admin_role = builtin_role("admin")
    client = client_for(scene.owner)
    page = client.get(f"/roles/{admin_role.pk}/").content.decode()
    assert "Built-in roles cannot be changed" in page and "<form" not in page.split("</header>")[1]
    response = client.post(f"/roles/{admin_role.pk}/", {"name": "Boss"})
    assert response.status_code == 409
    admin_role.refresh_from_db()
    assert admin_role.name == "Admin"


def test_delete_asks_first_refuses_in_use_and_deletes_unused(scene):
    role = _custom(scene.account, scene.owner)
    holder = make_member(scene.account, role)
    client = client_for(scene.admin)
    confirm = client.get(f"/roles/{role.pk}/delete/")
    assert confirm.status_code == 200 and "Delete the role" in confirm.content.decode()
    refused = client.post(f"/roles/{role.pk}/delete/")
    assert refused.status_code == 409
    assert "held by 1 member" in refused.content.decode()
    holder.role = builtin_role("agent")
    holder.save()
    assert client.post(f"/roles/{role.pk}/delete/").status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()


def test_other_accounts_role_is_not_found(scene):
    theirs = create_role(actor=actor_for(scene.other_owner), name="Theirs", permissions=[])
    client = client_for(scene.owner)
    assert client.get(f"/roles/{theirs.pk}/").status_code == 404
    assert client.post(f"/roles/{theirs.pk}/", {"name": "Mine now"}).status_code == 404
    assert client.post(f"/roles/{theirs.pk}/delete/").status_code == 404
    assert client.get(f"/roles/new/?clone_of={theirs.pk}").status_code == 404
    assert Role.objects.filter(pk=theirs.pk, name="Theirs").exists()


@pytest.mark.parametrize(
    "url", ["/roles/new/?clone_of=abc", "/roles/new/?clone_of=99999999999999999999999"]
)
def test_junk_clone_of_is_not_found(scene, url):
    assert client_for(scene.owner).get(url).status_code == 404


def test_junk_permission_keys_are_a_field_error(scene):
    response = client_for(scene.owner).post(
        "/roles/new/", {"name": "Odd", "permissions": ["root.everything"]}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["permissions"]
