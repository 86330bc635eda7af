"""Walks tests/authz/matrix.yaml: every endpoint by every caller, by session and by token."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.test import Client

from crewbase.api.app import api
from tests.api.client import ApiClient
from tests.authz.scene import SETUPS, build_scene, token_for

HERE = Path(__file__).parent
MATRIX = yaml.safe_load((HERE / "matrix.yaml").read_text())
# Each area keeps its own rows in matrix.d/<area>.yaml (same format, `endpoints:` only).
for _extra in sorted((HERE / "matrix.d").glob("*.yaml")):
    MATRIX["endpoints"].extend(yaml.safe_load(_extra.read_text()).get("endpoints") or [])
CALLERS = MATRIX["callers"]
SUCCESS = range(200, 300)


def _cases():
    for entry in MATRIX["endpoints"]:
        label = entry.get("name", entry["route"])
        for caller in CALLERS:
            modes = ["session"] if caller == "anonymous" else ["session", "token"]
            for mode in modes:
                yield pytest.param(entry, caller, mode, id=f"{label}|{caller}|{mode}")


def _fill(value, scene, caller):
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name == "self":
            member = scene.caller(caller)
            return member.pk if member is not None else scene.values["target"]
        return scene.values[name]
    if isinstance(value, dict):
        return {k: _fill(v, scene, caller) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, scene, caller) for v in value]
    return value


def _client_for(scene, caller: str, mode: str) -> ApiClient:
    if caller == "anonymous":
        return ApiClient()
    if mode == "token":
        return ApiClient(token=token_for(scene, caller))
    return ApiClient(person=scene.caller(caller).person)


@pytest.mark.django_db
@pytest.mark.parametrize(("entry", "caller", "mode"), list(_cases()))
def test_matrix(entry, caller, mode):
    scene = build_scene()
    if "setup" in entry:
        SETUPS[entry["setup"]](scene)
    client = _client_for(scene, caller, mode)
    method, route = entry["route"].split(" ", 1)
    path = route.format(**_fill(entry.get("path", {}), scene, caller))
    if "query" in entry:
        path += "?" + urlencode(entry["query"])
    body = _fill(entry.get("body"), scene, caller)

    response = client.request(method, path, body)

    expected = entry["expect"][caller]
    if mode == "token":
        expected = entry.get("token", {}).get(caller, expected)
    detail = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == expected, detail[:500]
    if response.status_code not in SUCCESS:
        error = response.json()
        assert set(error) == {"error", "message", "errors"}, error
        assert error["message"]
    if response.status_code == 404:
        # A 404 for another account's object must not echo anything of that object.
        text = detail.decode()
        for member in scene.members.values():
            if member.account_id == scene.account.pk:
                assert member.email not in text


def _api_routes() -> set[str]:
    document = api.get_openapi_schema()
    prefix = "/api/v1"
    routes = set()
    for path, operations in document["paths"].items():
        for method in operations:
            routes.add(f"{method.upper()} {path.removeprefix(prefix)}")
    return routes


def test_matrix_covers_every_endpoint_and_every_caller():
    listed = {entry["route"] for entry in MATRIX["endpoints"]}
    assert _api_routes() - listed == set(), "endpoints missing from matrix.yaml"
    assert listed - _api_routes() == set(), "matrix.yaml lists endpoints that do not exist"
    for entry in MATRIX["endpoints"]:
        assert set(entry["expect"]) == set(CALLERS), entry["route"]


@pytest.mark.django_db
def test_session_without_csrf_token_is_refused_for_every_unsafe_endpoint():
    scene = build_scene()
    owner = scene.owner
    for entry in MATRIX["endpoints"]:
        method, route = entry["route"].split(" ", 1)
        if method == "GET" or route == "/invitations/accept":
            continue
        client = Client(enforce_csrf_checks=True)
        client.force_login(owner.person)
        path = "/api/v1" + route.format(**_fill(entry.get("path", {}), scene, "owner"))
        response = getattr(client, method.lower())(path, data="{}", content_type="application/json")
        assert response.status_code == 403, (entry["route"], response.content)
        assert response.json()["error"] == "csrf_failed"
        assert "CSRF" in response.json()["message"]
