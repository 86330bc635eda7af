"""The "$name" values and setups this area's rows in tests/authz/matrix.d/sso.yaml use."""

SETUPS: dict = {}


def scene_values(account, owner) -> dict:
    return {}
