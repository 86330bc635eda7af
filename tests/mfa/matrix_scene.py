"""The "$name" values and setups this area's rows in tests/authz/matrix.d/mfa.yaml use."""

from crewbase.people.models import Member
from tests.mfa.helpers import enrol_totp


def _enrol_target_totp(scene) -> None:
    enrol_totp(Member.objects.get(pk=scene.values["target"]).person)


SETUPS: dict = {"enrol_target_totp": _enrol_target_totp}


def scene_values(account, owner) -> dict:
    return {}
