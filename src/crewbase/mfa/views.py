"""Pages of this area: the emailed-code sign-in step, the account's 2FA policy (a section of
the security settings), and an admin's "reset 2FA" confirmation."""

from __future__ import annotations

from allauth.account.internal.decorators import login_stage_required
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from crewbase.access.models import Role
from crewbase.console.errors import add_to_form, sentence
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError
from crewbase.mfa import email_codes
from crewbase.mfa.actions import reset_two_factor, update_mfa_policy
from crewbase.mfa.models import MfaPolicy
from crewbase.mfa.requirements import member_needing_email_code
from crewbase.mfa.selectors import has_totp, members_missing_required_2fa
from crewbase.mfa.stages import EmailCodeStage
from crewbase.people.selectors import get_member


class EmailCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the email"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_stage_required(stage=EmailCodeStage.key, redirect_urlname="account_login")
def email_code(request):
    stage = request._login_stage
    person = stage.login.user
    form = EmailCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and "resend" in request.POST:
        member = member_needing_email_code(person)
        if member is None:
            # The policy stopped asking for a code (or TOTP was set up) since this sign-in
            # began: start it over under the current policy.
            return stage.abort()
        try:
            email_codes.send_code(member=member, request=request, resend=True)
        except email_codes.ResendTooSoon as refused:
            form = EmailCodeForm({})
            form.is_valid()
            form.add_error("code", sentence(refused.message))
            status = 429
        else:
            messages.success(
                request, gettext("A new code is on its way; the previous one no longer works.")
            )
            return redirect("mfa_email_code")
    elif request.method == "POST":
        form.is_valid()
        result = email_codes.check_code(
            person=person, code=form.cleaned_data.get("code", ""), request=request
        )
        if result.ok:
            return stage.exit()
        form.add_error("code", sentence(result.reason))
        status = 429 if result.throttled else 422
    context = {"form": form, "email": person.email, "minutes": 10}
    return render(request, "mfa/email_code.html", context, status=status)


class PolicyForm(forms.Form):
    section = forms.CharField(widget=forms.HiddenInput)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    broadcast_agents = forms.BooleanField(
        label=_("Agents with the permission to send broadcasts, whatever their role"),
        required=False,
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        roles = Role.objects.for_account(account).order_by("account_id", "name")
        self.fields["roles"].choices = [(str(r.pk), r.name) for r in roles]


def _policy_forms(account, posted=None):
    mfa_policy = MfaPolicy.objects.filter(account=account).first()
    required = (
        list(mfa_policy.required_2fa_roles.values_list("pk", flat=True)) if mfa_policy else []
    )
    emailed = list(mfa_policy.email_otp_roles.values_list("pk", flat=True)) if mfa_policy else []
    forms_by_section = {
        "required": PolicyForm(
            account=account,
            initial={"section": "required", "roles": [str(i) for i in required]},
            prefix="required",
        ),
        "email": PolicyForm(
            account=account,
            initial={
                "section": "email",
                "roles": [str(i) for i in emailed],
                "broadcast_agents": bool(mfa_policy and mfa_policy.email_otp_broadcast_agents),
            },
            prefix="email",
        ),
    }
    if posted is not None:
        forms_by_section[posted[0]] = posted[1]
    return forms_by_section


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def policy_page(request):
    account = request.actor.account
    posted = None
    status = 200
    if request.method == "POST":
        section = "email" if request.POST.get("section") == "email" else "required"
        form = PolicyForm(request.POST, account=account, prefix=section)
        if form.is_valid():
            role_ids = [int(i) for i in form.cleaned_data["roles"]]
            changes = (
                {
                    "email_otp_role_ids": role_ids,
                    "email_otp_broadcast_agents": form.cleaned_data["broadcast_agents"],
                }
                if section == "email"
                else {"required_2fa_role_ids": role_ids}
            )
            try:
                update_mfa_policy(actor=request.actor, **changes)
            except DomainError as error:
                add_to_form(form, error, aliases=_ALIASES)
            else:
                messages.success(request, gettext("Two-factor policy saved."))
                return redirect("mfa_policy")
        posted, status = (section, form), 422
    context = {
        "forms": _policy_forms(account, posted),
        "missing": members_missing_required_2fa(account).order_by("display_name")[:50],
        "missing_count": members_missing_required_2fa(account).count(),
        "plan_is_trial": account.plan == "trial",
    }
    return render(request, "mfa/policy.html", context, status=status)


_ALIASES = {
    "required_2fa_role_ids": "roles",
    "email_otp_role_ids": "roles",
    "email_otp_broadcast_agents": "broadcast_agents",
}


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("users.manage")
def reset_page(request, member_id: str):
    member = get_member(request.actor, member_id)
    if request.method != "POST":
        context = {"member": member, "enrolled": has_totp(member.person)}
        return render(request, "mfa/reset.html", context)
    try:
        reset_two_factor(actor=request.actor, member=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Two-factor authentication of %(name)s was reset; they were emailed.")
            % {"name": member.display_name},
        )
    return redirect("member", member_id=member.pk)
