"""Console forms. They collect and re-display what was typed; the actions decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crewbase.access.models import Role
from crewbase.org.models import Division, Queue, Team
from crewbase.people import list_extensions
from crewbase.people.models import DeactivationReason
from crewbase.people.selectors import STATUSES

STATUS_LABELS = {
    "active": _("Active"),
    "invited": _("Invited"),
    "expired": _("Invited (expired)"),
    "deactivated": _("Deactivated"),
}
SORT_LABELS = {
    "name": _("Name"),
    "email": _("Email"),
    "joined": _("Joined"),
    "last_sign_in": _("Last sign-in"),
}


def role_choices(account) -> list[tuple[str, str]]:
    roles = Role.objects.for_account(account).order_by("account_id", "name")
    return [(str(role.pk), role.name) for role in roles]


def group_choices(model, account) -> list[tuple[str, str]]:
    return [
        (str(pk), name)
        for pk, name in model.objects.filter(account=account).values_list("pk", "name")
    ]


def member_email_field(label) -> forms.CharField:
    """Who takes over, typed as an email: a select of every active member cannot scale to a
    million, and the action resolves an email (or an id) within the account."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("The email address of an active member. Leave empty to leave them unassigned."),
    )


class MemberFilterForm(forms.Form):
    """The members list's GET form; its values go to list_members unchanged."""

    q = forms.CharField(label=_("Search name or email"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + [(s, STATUS_LABELS[s]) for s in STATUSES],
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    agent_access = forms.ChoiceField(
        label=_("Agent access"),
        required=False,
        choices=[("", _("Any")), ("true", _("Has agent access")), ("false", _("No agent access"))],
    )
    division = forms.ChoiceField(label=_("Division"), required=False)
    queue = forms.ChoiceField(label=_("Queue"), required=False)

    def __init__(self, data, *, account):
        super().__init__(data)
        self.fields["role"].choices = [("", _("Any role")), *role_choices(account)]
        for name, model, any_label in (
            ("team", Team, _("Any team")),
            ("division", Division, _("Any division")),
            ("queue", Queue, _("Any queue")),
        ):
            self.fields[name].choices = [("", any_label), *group_choices(model, account)]
        for extra in list_extensions.filters():
            self.fields[extra.name] = forms.ChoiceField(
                label=extra.label, required=False, choices=extra.choices(account)
            )

    def raw(self, name: str) -> str:
        # The raw text, even when it is not a listed choice: list_members names what is wrong.
        value = self.data.get(name, "")
        return value if isinstance(value, str) else ""


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        help_text=_("Separate addresses with commas, spaces, semicolons or new lines."),
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label=_("Role"))
    agent_access = forms.BooleanField(
        label=_("Agent access (uses a paid agent seat per person)"), required=False
    )
    teams = forms.MultipleChoiceField(
        label=_("Teams"), required=False, help_text=_("Hold Ctrl (or ⌘) to choose several.")
    )
    divisions = forms.MultipleChoiceField(
        label=_("Divisions"), required=False, help_text=_("Hold Ctrl (or ⌘) to choose several.")
    )
    # Prefilled at acceptance; only when inviting one person (INV-1).
    first_name = forms.CharField(label=_("First name"), required=False)
    last_name = forms.CharField(label=_("Last name"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["type"] = "tel"
        for name in ("first_name", "last_name", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["role"].choices = role_choices(account)
        self.fields["teams"].choices = group_choices(Team, account)
        self.fields["divisions"].choices = group_choices(Division, account)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(
        label=_("Email"),
        required=False,
        disabled=True,
        help_text=_("Email addresses cannot be changed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["readonly"] = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "type": "tel"})


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(account)


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DeactivationReason.choices, initial=DeactivationReason.OTHER
    )
    reassign_to = member_email_field(_("Reassign open tickets to"))


class OffboardForm(forms.Form):
    reassign_tickets_to = member_email_field(_("Reassign open tickets to"))
    transfer_assets_to = member_email_field(_("Transfer macros and saved views to"))
