"""The accept-invitation page /invitations/<token>/ (INV-5).

A new person chooses a name and password and is signed in; a person who already has a
password signs in as that person first, then accepts with one button. A link that no longer
works says plainly why and to ask an admin. An account enforcing SSO asks a new person for no
password: they sign in through the identity provider, which accepts the invitation.
"""

from allauth.account.utils import perform_login
from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from crewbase.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from crewbase.core.request_info import client_ip
from crewbase.identity.sso.enforcement import account_enforces
from crewbase.people.actions.invitations import accept_invitation, find_invitation
from crewbase.people.passwords import LengthValidator
from crewbase.people.sessions import SESSION_ACCOUNT_KEY


class NewPersonForm(forms.Form):
    """Only collects and re-displays what was typed; accept_invitation decides what is valid."""

    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=LengthValidator().get_help_text(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            sentence = reason[:1].upper() + reason[1:]
            if not sentence.endswith((".", "!", "?")):
                sentence += "."
            self.add_error(name if name in self.fields else None, sentence)


def _refusal(request, error: DomainError):
    # Unknown links are 404; links that existed but no longer work are 410 Gone.
    status = 404 if isinstance(error, NotFound) else 410
    return render(
        request, "console/invitation_refused.html", {"message": error.message}, status=status
    )


def _request_info(request) -> dict:
    return {
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:400],
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def accept(request, token: str):
    try:
        invitation = find_invitation(token)
    except DomainError as error:
        return _refusal(request, error)
    if invitation.member.person.is_registered:
        return _existing_person(request, invitation, token)
    return _new_person(request, invitation, token)


def _new_person(request, invitation, token):
    member = invitation.member
    if account_enforces(invitation.account_id):
        # Enforced SSO (SSO-2): no password; signing in through the IdP accepts the invitation.
        status = 403 if request.method == "POST" else 200
        context = {
            "invitation": invitation,
            "sso_link": f"/sso/{invitation.account_id}/",
            "password_refused": status == 403,
        }
        return render(request, "console/invitation_new_person.html", context, status=status)
    if request.method != "POST":
        form = NewPersonForm(
            initial={
                "first_name": invitation.first_name or member.first_name,
                "last_name": invitation.last_name or member.last_name,
            }
        )
        return _render_new(request, invitation, form)
    form = NewPersonForm(request.POST)
    form.is_valid()  # only to get cleaned values; the action validates
    data = form.cleaned_data
    try:
        member = accept_invitation(
            token=token,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            password=data.get("password", ""),
            **_request_info(request),
        )
    except ValidationFailed as error:
        form.show_errors(error.errors)
        return _render_new(request, invitation, form, status=422)
    except DomainError as error:
        return _refusal(request, error)
    # Sign in through allauth's flow: session tracking and sign-in activity as for a password.
    request.session[SESSION_ACCOUNT_KEY] = member.account_id
    response = perform_login(request, member.person, redirect_url=reverse("home"))
    request.session[SESSION_ACCOUNT_KEY] = member.account_id
    return response


def _render_new(request, invitation, form, status=200):
    context = {"invitation": invitation, "form": form}
    return render(request, "console/invitation_new_person.html", context, status=status)


def _existing_person(request, invitation, token):
    person = invitation.member.person
    signed_in_as_invitee = request.user.is_authenticated and request.user.pk == person.pk
    if request.method == "POST" and signed_in_as_invitee:
        try:
            member = accept_invitation(
                token=token, signed_in_person=request.user, **_request_info(request)
            )
        except PermissionDenied as error:
            return _render_existing(request, invitation, error.message, status=403)
        except DomainError as error:
            return _refusal(request, error)
        request.session[SESSION_ACCOUNT_KEY] = member.account_id  # work in the new account
        return redirect("home")
    status = 403 if request.method == "POST" else 200
    error = _("Sign in as %(email)s to accept.") % {"email": person.email} if status == 403 else ""
    return _render_existing(request, invitation, error, status=status)


def _render_existing(request, invitation, error: str, status: int = 200):
    here = request.path
    context = {
        "invitation": invitation,
        "invitee": invitation.member.person,
        "error": error,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        "signed_in_as_invitee": request.user.is_authenticated
        and request.user.pk == invitation.member.person_id,
        "here": here,
    }
    return render(request, "console/invitation_existing_person.html", context, status=status)
