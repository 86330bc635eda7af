"""The "$name" values and setups this area's rows in tests/authz/matrix.d/scim.yaml use."""

from crewbase.identity.scim.actions.tokens import rotate_scim_token
from tests.conftest import actor_for

SETUPS: dict = {}


def scene_values(account, owner) -> dict:
    # Account A has a SCIM token, so its status, rotation and revocation all have a subject.
    rotate_scim_token(actor=actor_for(owner))
    return {}
