"""The emailed-code step of allauth's sign-in (AUTH-5), after allauth's own TOTP step."""

from __future__ import annotations

from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response

from crewbase.mfa.email_codes import send_code_for_sign_in
from crewbase.mfa.requirements import member_needing_email_code
from crewbase.signin.memberships import sign_in_memberships

STAGE_PATH = "crewbase.mfa.stages.EmailCodeStage"


class EmailCodeStage(LoginStage):
    key = "crewbase_email_code"
    urlname = "mfa_email_code"

    def handle(self):
        person = self.login.user
        if person is None:
            return None, True
        member = member_needing_email_code(person, sign_in_memberships(self.request, person))
        if member is None:
            return None, True
        send_code_for_sign_in(member=member, request=self.request)
        return headed_redirect_response(self.urlname), True


def with_email_code_stage(stages: list[str]) -> list[str]:
    """allauth's stages with ours right after its TOTP step (or last)."""
    stages = [s for s in stages if s != STAGE_PATH]
    after = "allauth.mfa.stages.AuthenticateStage"
    at = stages.index(after) + 1 if after in stages else len(stages)
    return [*stages[:at], STAGE_PATH, *stages[at:]]
