"""The API describes itself, and wrong paths or methods still answer in the JSON error shape."""

import pytest

from tests.api.client import ApiClient


def test_openapi_document_and_docs_are_served_without_sign_in():
    client = ApiClient()
    document = client.get("/openapi.json")
    assert document.status_code == 200
    spec = document.json()
    assert spec["info"]["title"] == "Crewbase API"
    assert "/api/v1/members/{member_id}/deactivate" in spec["paths"]
    assert set(spec["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


@pytest.mark.django_db
def test_wrong_method_and_unknown_path_are_json():
    client = ApiClient()
    response = client.request("PUT", "/members", {})
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert response["Allow"] == "GET"
    response = client.get("/members/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
