"""An admin of another account sees none of this account's data in any list (FAIL-4)."""

import json

import pytest

from tests.api.client import ApiClient
from tests.authz.scene import build_scene, token_for

pytestmark = pytest.mark.django_db

LISTS = [
    "/members?limit=200",
    "/invitations",
    "/roles",
    "/activity?limit=500",
    "/activity/export?format=json",
    "/api-tokens",
    "/account",
]


def _text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


@pytest.mark.parametrize("mode", ["session", "token"])
def test_lists_of_another_account_leak_nothing(mode):
    scene = build_scene()
    outsider = scene.members["other_account"]
    client = (
        ApiClient(token=token_for(scene, "other_account"))
        if mode == "token"
        else ApiClient(person=outsider.person)
    )
    ours = [m for m in scene.members.values() if m.account_id == scene.account.pk]
    secrets = [m.email for m in ours] + ["invitee@example.com", "Tier 2", scene.account.name]
    for path in LISTS:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        text = _text(response)
        json.loads(text)
        for secret in secrets:
            assert secret not in text, (path, secret)
