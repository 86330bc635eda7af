"""A new password lifts the person's sign-in lockouts (AUTH-2, AUTH-3)."""

from allauth.account.signals import password_changed, password_reset
from django.dispatch import receiver

from crewbase.signin import guard


@receiver(password_reset, dispatch_uid="crewbase_signin_unlock_on_reset")
@receiver(password_changed, dispatch_uid="crewbase_signin_unlock_on_change")
def unlock_on_new_password(sender, request, user, **kwargs) -> None:
    guard.clear_person(user)
