"""The "$name" values and setups this area's rows in tests/authz/matrix.d/sso.yaml use."""

from crewbase.identity.sso.actions import create_sso_connection
from tests.conftest import actor_for

SETUPS: dict = {}


def scene_values(account, owner) -> dict:
    connection = create_sso_connection(
        actor=actor_for(owner),
        data={
            "name": "Matrix IdP",
            "preset": "okta",
            "issuer": "https://matrix.okta.example",
            "client_id": "matrix-client",
            "client_secret": "matrix-secret",
        },
    )
    return {"sso_connection": connection.pk}
