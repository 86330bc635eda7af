"""A person's own 2FA changes, written into each account they are active in (ACT-1).

Turning TOTP on or off is recorded from the Authenticator row's own save/delete signals, so
the event commits with the change. allauth announces a recovery-code regeneration only after
its commit, so that one event is written just after it. An admin's reset is recorded by
`actions.reset_two_factor` instead: these receivers only record what people do to themselves.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import user_logged_in
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_reset
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from crewbase.audit.record import record
from crewbase.people.models import Member, MemberStatus
from crewbase.people.signin import request_actor


def _record_for_person(request, person_id: int, action: str) -> None:
    members = Member.objects.select_related("account", "person", "role").filter(
        person_id=person_id, status=MemberStatus.ACTIVE
    )
    with transaction.atomic():
        for member in members:
            record(request_actor(member, request), action, member)


def _self_service_request(person_id: int):
    """The request, when the signed-in person is changing their own authenticators."""
    request = context.request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.pk != person_id:
        return None
    return request


@receiver(post_save, sender=Authenticator, dispatch_uid="crewbase_mfa_totp_saved")
def on_totp_saved(sender, instance, created, **kwargs) -> None:
    if created and instance.type == Authenticator.Type.TOTP:
        request = _self_service_request(instance.user_id)
        if request is not None:
            _record_for_person(request, instance.user_id, "mfa.totp_enabled")


@receiver(post_delete, sender=Authenticator, dispatch_uid="crewbase_mfa_totp_deleted")
def on_totp_deleted(sender, instance, **kwargs) -> None:
    if instance.type == Authenticator.Type.TOTP:
        request = _self_service_request(instance.user_id)
        if request is not None:
            _record_for_person(request, instance.user_id, "mfa.totp_disabled")


@receiver(authenticator_reset, dispatch_uid="crewbase_mfa_codes_reset")
def on_codes_reset(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    if user is not None and authenticator.type == Authenticator.Type.RECOVERY_CODES:
        _record_for_person(request, user.pk, "mfa.recovery_codes_regenerated")


@receiver(user_logged_in, dispatch_uid="crewbase_mfa_sign_in_is_fresh")
def sign_in_counts_as_reauthentication(sender, request=None, user=None, **kwargs) -> None:
    """The person has just typed their password (and any code): allauth may treat that as a
    re-authentication for its usual window, so enrolling right after signing in (AUTH-6)
    does not ask for the password a second time. Later changes (turning TOTP off, new
    recovery codes) still ask again once that window has passed."""
    if request is None or not hasattr(request, "session"):
        return
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list) and records and isinstance(records[-1], dict):
        records[-1] = {**records[-1], "reauthenticated": True}
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
