"""The /api/v1 routes of this area: an admin's 2FA reset and the account's 2FA policy."""

from __future__ import annotations

from django.utils.translation import gettext
from ninja import Router, Schema
from pydantic import Field, StrictInt

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.api import lookups
from crewbase.api.schemas import Done, Error, Flag, Input
from crewbase.mfa import actions
from crewbase.mfa.models import MfaPolicy

router = Router(tags=["mfa"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


class RoleRef(Schema):
    id: int
    name: str


class MfaPolicyOut(Schema):
    required_2fa_roles: list[RoleRef] = Field(
        description="Members in these roles must enrol TOTP before doing anything else (AUTH-6)"
    )
    email_otp_roles: list[RoleRef] = Field(
        description="Members in these roles enter a code emailed at each sign-in (AUTH-5)"
    )
    email_otp_broadcast_agents: bool = Field(
        description="Agents whose role can send broadcasts also get emailed codes"
    )
    email_otp_active: bool = Field(description="False while the account is on a trial plan")


class MfaPolicyIn(Input):
    required_2fa_role_ids: list[StrictInt] | None = Field(None, max_length=500)
    email_otp_role_ids: list[StrictInt] | None = Field(None, max_length=500)
    email_otp_broadcast_agents: Flag | None = None


def _policy_out(account) -> dict:
    mfa_policy = MfaPolicy.objects.filter(account=account).first()

    def refs(related) -> list[dict]:
        roles = Role.objects.filter(pk__in=related.values("pk")).order_by("id")
        return [{"id": r.pk, "name": r.name} for r in roles]

    return {
        "required_2fa_roles": refs(mfa_policy.required_2fa_roles) if mfa_policy else [],
        "email_otp_roles": refs(mfa_policy.email_otp_roles) if mfa_policy else [],
        "email_otp_broadcast_agents": bool(mfa_policy and mfa_policy.email_otp_broadcast_agents),
        "email_otp_active": account.plan != "trial",
    }


@router.post("/members/{int:member_id}/reset-2fa", response={200: Done, **ERRORS})
def reset_two_factor(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    actions.reset_two_factor(actor=request.auth, member=member)
    done = gettext("Two-factor authentication of %(name)s was reset; they were emailed.")
    return {"message": done % {"name": member.email}}


@router.get("/security/mfa-policy", response={200: MfaPolicyOut, **ERRORS})
def get_mfa_policy(request):
    policy.require(request.auth, "security.manage")
    return _policy_out(request.auth.account)


@router.put("/security/mfa-policy", response={200: MfaPolicyOut, **ERRORS})
def put_mfa_policy(request, payload: MfaPolicyIn):
    actions.update_mfa_policy(actor=request.auth, **payload.dict(exclude_unset=True))
    return _policy_out(request.auth.account)
