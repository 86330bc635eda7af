"""The console's connection form, the plain-text form of the group mapping, and the password
reset form that knows about enforced SSO.

Mapping lines read `group: Role name | Team A, Team B` (role or teams may be left out); they
become the API's rules, [{"group", "role_id", "team_ids"}], before the action checks them.
"""

from __future__ import annotations

from allauth.account.forms import ResetPasswordKeyForm
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crewbase.access.models import Role
from crewbase.identity.sso.models import Preset, Provisioning
from crewbase.identity.sso.password_policy import refusal_text
from crewbase.org.models import Team


class ConnectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    preset = forms.ChoiceField(label=_("Identity provider"), choices=Preset.choices)
    issuer = forms.CharField(
        label=_("Issuer URL (OpenID Connect)"),
        required=False,
        help_text=_(
            "Google: https://accounts.google.com · Entra ID: "
            "https://login.microsoftonline.com/TENANT-ID/v2.0 · Okta: https://YOUR-ORG.okta.com"
        ),
    )
    client_id = forms.CharField(label=_("Client ID (OpenID Connect)"), required=False)
    client_secret = forms.CharField(
        label=_("Client secret (OpenID Connect)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the current secret."),
    )
    metadata_url = forms.CharField(label=_("IdP metadata URL (SAML)"), required=False)
    metadata_xml = forms.CharField(
        label=_("IdP metadata XML (SAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Paste the metadata instead of the fields below."),
    )
    idp_entity_id = forms.CharField(label=_("IdP entity ID (SAML)"), required=False)
    idp_sso_url = forms.CharField(label=_("IdP sign-in URL (SAML)"), required=False)
    idp_certificate = forms.CharField(
        label=_("IdP signing certificate (SAML, PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line. An active member must already have an address at each."),
    )
    provisioning = forms.ChoiceField(label=_("Provisioning"), choices=Provisioning.choices)
    default_role_id = forms.ChoiceField(label=_("Default role"), required=False)
    jit_agent_access = forms.BooleanField(
        label=_("Give members created at sign-in agent access (uses an agent seat)"), required=False
    )
    groups_attribute = forms.CharField(
        label=_("Groups claim or attribute"), required=False, initial="groups"
    )
    group_mapping = forms.CharField(
        label=_("Group mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One rule per line: group: Role name | Team A, Team B"),
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        roles = Role.objects.for_account(account).order_by("name")
        self.fields["default_role_id"].choices = [("", _("None"))] + [(r.pk, r.name) for r in roles]


def mapping_to_text(rules: list[dict], account) -> str:
    roles = dict(Role.objects.for_account(account).values_list("pk", "name"))
    teams = dict(Team.objects.filter(account=account).values_list("pk", "name"))
    lines = []
    for rule in rules or []:
        text = f"{rule['group']}: {roles.get(rule.get('role_id'), '')}"
        if rule.get("team_ids"):
            text += " | " + ", ".join(teams.get(t, str(t)) for t in rule["team_ids"])
        lines.append(text.strip())
    return "\n".join(lines)


def mapping_from_text(text: str, account, errors: dict) -> list[dict]:
    roles = {
        name.lower(): pk for pk, name in Role.objects.for_account(account).values_list("pk", "name")
    }
    teams = {
        name.lower(): pk
        for pk, name in Team.objects.filter(account=account).values_list("pk", "name")
    }
    rules = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        group, colon, rest = line.partition(":")
        role_text, _bar, team_text = rest.partition("|")
        role_text = role_text.strip()
        if not colon or not group.strip():
            errors["group_mapping"] = gettext(
                "line %(number)s: write it as group: Role | Team, Team"
            ) % {"number": number}
            return []
        if role_text and role_text.lower() not in roles:
            errors["group_mapping"] = gettext("line %(number)s: no role named %(name)s") % {
                "number": number,
                "name": repr(role_text),
            }
            return []
        team_ids = []
        for name in (t.strip() for t in team_text.split(",")):
            if name and name.lower() not in teams:
                errors["group_mapping"] = gettext("line %(number)s: no team named %(name)s") % {
                    "number": number,
                    "name": repr(name),
                }
                return []
            if name:
                team_ids.append(teams[name.lower()])
        rules.append(
            {"group": group.strip(), "role_id": roles.get(role_text.lower()), "team_ids": team_ids}
        )
    return rules


class SsoAwareResetPasswordKeyForm(ResetPasswordKeyForm):
    """allauth's "choose a new password" form, which knows before anything is typed when a
    reset link sent before SSO enforcement can no longer set a password (SSO-2). The page then
    shows the way to single sign-on instead of a form; a POST is still refused by
    the account adapter's clean_password, which records the attempt."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sso_refusal = refusal_text(self.user) if self.user is not None else ""
