"""How allauth fits Crewbase: no open sign-up; every email goes through the outbox; a person
deactivated everywhere cannot sign in; failures and reset requests are recorded."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django import forms
from django.db import transaction
from django.utils import translation

from crewbase.audit.record import record
from crewbase.core.language import recipient_language
from crewbase.core.mail import queue_prerendered
from crewbase.identity.sso import password_policy as sso_password
from crewbase.people import signin
from crewbase.people.actions.passwords import link_lifetime_text, reset_link_for_key
from crewbase.people.models import Member, MemberStatus
from crewbase.signin import guard
from crewbase.signin.memberships import sign_in_memberships


class CrewbaseAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join through invitations only (INV-5).
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered by allauth in the recipient's language, delivered by the worker: queued in
        the current transaction."""
        with translation.override(recipient_language(email)):
            message = self.render_mail(template_prefix, email, self._mail_context(email, context))
        queue_prerendered(
            to=email,
            subject=message.subject,
            body=message.body,
            key_prefix=template_prefix.rsplit("/", 1)[-1],
        )

    def _mail_context(self, email: str, context: dict) -> dict:
        # The same context allauth's own send_mail builds, minus the sites framework.
        return {
            "request": self.request,
            "email": email,
            "link_lifetime": link_lifetime_text(),
            **context,
        }

    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        guard.note_success(user)
        # Read once for this request: the stages and the sign-in recording use them too.
        members = sign_in_memberships(request, user)
        if not signin.may_sign_in(user, members):
            # The password was right, so saying why reveals nothing to a stranger.
            signin.record_failed_sign_in(request, user.email, reason="deactivated")
            clear_login(request)
            return self.respond_user_inactive(request, user)
        # Enforced SSO (SSO-2): a password is refused there, except the owner's break-glass.
        return sso_password.refuse_password_sign_in(
            request, user, kwargs.get("signal_kwargs"), members
        )

    def get_login_stages(self) -> list[str]:
        # The emailed sign-in code by role (AUTH-5) is one more stage, after allauth's TOTP.
        from crewbase.mfa.stages import with_email_code_stage

        return with_email_code_stage(super().get_login_stages())

    def pre_authenticate(self, request, **credentials) -> None:
        # Ours first: a locked email or address is refused before allauth counts the attempt.
        guard.refuse_if_throttled(request, credentials.get("email", ""))
        super().pre_authenticate(request, **credentials)

    def reauthenticate(self, user, password: str) -> bool:
        # The password prompt before a sensitive change goes through authenticate(), so
        # the throttle refuses and counts there as at sign-in (AUTH-2); a right password
        # starts the count again, as a sign-in does.
        confirmed = super().reauthenticate(user, password)
        if confirmed:
            guard.note_success(user)
        return confirmed

    def authentication_failed(self, request, **credentials) -> None:
        signin.record_failed_sign_in(request, credentials.get("email", ""))
        guard.note_failure(request, credentials.get("email", ""))

    def send_password_reset_mail(self, user, email, context) -> None:
        # Someone who may not sign in gets nothing, and the page says the same as for anyone.
        if not signin.may_sign_in(user) or sso_password.reset_refused(user, self.request):
            return
        with transaction.atomic():
            active = Member.objects.select_related("account", "person", "role").filter(
                person=user, status=MemberStatus.ACTIVE
            )
            for member in active:
                record(
                    signin.request_actor(member, self.request),
                    "auth.password_reset_requested",
                    member,
                )
            super().send_password_reset_mail(user, email, context)

    def clean_password(self, password: str, user=None) -> str:
        # Enforced SSO (SSO-2): a reset link sent before enforcement must not set a password.
        saved = user is not None and user.pk is not None  # sign-up passes an unsaved dummy
        refusal = saved and sso_password.new_password_refusal(user, self.request)
        if refusal:
            raise forms.ValidationError(refusal)
        return super().clean_password(password, user=user)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # Built from CREWBASE_BASE_URL, never from the request's Host header.
        return reset_link_for_key(key)
