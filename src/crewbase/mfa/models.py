"""The account's second-factor policy and the email one-time codes it sends (AUTH-5, AUTH-6)."""

from django.db import models


class MfaPolicy(models.Model):
    """Which roles must use a second factor, per account. No row means "nobody"."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="mfa_policy"
    )
    # AUTH-6: members in these roles must enrol TOTP before doing anything else.
    required_2fa_roles = models.ManyToManyField("access.Role", blank=True, related_name="+")
    # AUTH-5: members in these roles enter a code emailed at every sign-in (paid plans only).
    email_otp_roles = models.ManyToManyField("access.Role", blank=True, related_name="+")
    # AUTH-5: "agents with broadcast permission" — any agent-access member whose role can
    # send broadcasts, whatever the role is called.
    email_otp_broadcast_agents = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"MFA policy of account {self.account_id}"


class EmailCode(models.Model):
    """One emailed sign-in code. Only its hash is kept; a new code ends the previous ones."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # Set when the code is used, replaced by a resend, or ended by too many wrong tries.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["person", "created_at"], name="mfa_emailcode_person_idx")]

    def __str__(self) -> str:
        return f"email code for person {self.person_id}"
