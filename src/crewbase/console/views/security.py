"""Security (INV-3, INV-6, API-2): invitation expiry, domain rules, and API tokens.

Settings are saved by `update_account_settings`; tokens by `create_api_token` (its secret is
shown once, on the response to the form, and never again) and `revoke_api_token`.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from crewbase.access import policy
from crewbase.access.permissions import PERMISSION_LABELS, Perm
from crewbase.accounts.settings_actions import update_account_settings
from crewbase.api.actions import create_api_token, revoke_api_token
from crewbase.api.models import ApiToken
from crewbase.console.errors import add_to_form
from crewbase.console.views.guards import console_page
from crewbase.core import clock
from crewbase.core.errors import DomainError, NotFound
from crewbase.people import passwords

EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
    ("never", _("Never")),
]


class AccountSettingsForm(forms.Form):
    invite_expiry_days = forms.CharField(
        label=_("Invitation links expire after (days)"),
        required=False,
        help_text=_("From 1 to 30 days."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 30}),
    )
    block_personal_domains = forms.BooleanField(
        label=_("Block personal email domains (gmail.com, outlook.com, …)"), required=False
    )
    blocked_domains = forms.CharField(
        label=_("Blocked domains"),
        required=False,
        help_text=_("One domain per line, e.g. competitor.example."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allowed_domains = forms.CharField(
        label=_("Allowed domains"),
        required=False,
        help_text=_("When any are listed, only these domains can be invited. One per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), required=False, max_length=500)
    scopes = forms.MultipleChoiceField(
        label=_("Permissions"),
        required=False,
        choices=[(p.value, format_lazy("{} ({})", _(PERMISSION_LABELS[p]), p.value)) for p in Perm],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_in = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")


def _settings_initial(account) -> dict:
    return {
        "invite_expiry_days": account.invite_expiry_days,
        "block_personal_domains": account.block_personal_domains,
        "blocked_domains": "\n".join(account.blocked_domains or []),
        "allowed_domains": "\n".join(account.allowed_domains or []),
    }


def _tokens(actor):
    return (
        ApiToken.objects.filter(account=actor.account)
        .select_related("member")
        .order_by("revoked_at", "-created_at")
    )


def _render(request, *, settings_form=None, token_form=None, secret=None, status=200):
    account = request.actor.account
    account.refresh_from_db()
    context = {
        "settings_form": settings_form or AccountSettingsForm(initial=_settings_initial(account)),
        "token_form": token_form or TokenForm(),
        "tokens": _tokens(request.actor),
        "secret": secret,
        "now": clock.now(),
        "held": policy.actor_permissions(request.actor),
        "password_rules": {"min": passwords.MIN_LENGTH, "max": passwords.MAX_LENGTH},
        # Set for the whole installation (CREWBASE_SESSION_SECONDS), shown here so admins know.
        "session_days": round(django_settings.SESSION_COOKIE_AGE / 86400, 1),
        "reset_minutes": django_settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    return render(request, "console/security/page.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def security(request):
    if request.method != "POST":
        return _render(request)
    if request.POST.get("form") == "token":
        return _create_token(request)
    form = AccountSettingsForm(request.POST)
    form.is_valid()  # only to read the fields; the action validates
    data = form.cleaned_data
    changes = {
        "invite_expiry_days": data.get("invite_expiry_days", ""),
        "block_personal_domains": bool(data.get("block_personal_domains")),
        "blocked_domains": data.get("blocked_domains", ""),
        "allowed_domains": data.get("allowed_domains", ""),
    }
    try:
        update_account_settings(actor=request.actor, changes=changes)
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, settings_form=form, status=error.status)
    messages.success(request, _("Security settings saved."))
    return redirect("security")


def _create_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, token_form=form, status=422)
    data = form.cleaned_data
    expires_at = None
    if data["expires_in"] != "never":
        expires_at = clock.now() + timedelta(days=int(data["expires_in"]))
    try:
        token, secret = create_api_token(
            actor=request.actor, name=data["name"], scopes=data["scopes"], expires_at=expires_at
        )
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, token_form=form, status=error.status)
    # Shown on this response only: the secret is not stored, so it cannot be shown again.
    return _render(request, secret={"token": token, "value": secret})


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def revoke_token(request, token_id: int):
    token = _tokens(request.actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("No such API token in this account."))
    if request.method != "POST":
        return render(request, "console/security/revoke.html", {"token": token})
    revoke_api_token(actor=request.actor, token=token)
    messages.success(
        request, _("The token '%(name)s' is revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("security")
