"""Console forms. They collect and re-display what was typed; the actions decide what is valid."""

from __future__ import annotations

from django import forms

from crewbase.access.models import Role
from crewbase.org.models import Division, Queue, Team
from crewbase.people import list_extensions
from crewbase.people.models import DeactivationReason, Member, MemberStatus
from crewbase.people.selectors import STATUSES

STATUS_LABELS = {
    "active": "Active",
    "invited": "Invited",
    "expired": "Invited (expired)",
    "deactivated": "Deactivated",
}
SORT_LABELS = {
    "name": "Name",
    "email": "Email",
    "joined": "Joined",
    "last_sign_in": "Last sign-in",
}


def role_choices(account) -> list[tuple[str, str]]:
    roles = Role.objects.for_account(account).order_by("account_id", "name")
    return [(str(role.pk), role.name) for role in roles]


def group_choices(model, account) -> list[tuple[str, str]]:
    return [
        (str(pk), name)
        for pk, name in model.objects.filter(account=account).values_list("pk", "name")
    ]


def active_member_choices(account, *, excluding: Member) -> list[tuple[str, str]]:
    members = (
        Member.objects.filter(account=account, status=MemberStatus.ACTIVE)
        .exclude(pk=excluding.pk)
        .order_by("display_name", "id")
    )
    return [("", "Nobody (leave unassigned)")] + [
        (str(m.pk), f"{m.display_name} ({m.email})") for m in members[:500]
    ]


class MemberFilterForm(forms.Form):
    """The members list's GET form; its values go to list_members unchanged."""

    q = forms.CharField(label="Search name or email", required=False)
    role = forms.ChoiceField(label="Role", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status")] + [(s, STATUS_LABELS[s]) for s in STATUSES],
    )
    team = forms.ChoiceField(label="Team", required=False)
    agent_access = forms.ChoiceField(
        label="Agent access",
        required=False,
        choices=[("", "Any"), ("true", "Has agent access"), ("false", "No agent access")],
    )
    division = forms.ChoiceField(label="Division", required=False)
    queue = forms.ChoiceField(label="Queue", required=False)

    def __init__(self, data, *, account):
        super().__init__(data)
        self.fields["role"].choices = [("", "Any role"), *role_choices(account)]
        for name, model, any_label in (
            ("team", Team, "Any team"),
            ("division", Division, "Any division"),
            ("queue", Queue, "Any queue"),
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
        label="Email addresses",
        required=False,
        help_text="Separate addresses with commas, spaces, semicolons or new lines.",
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label="Role")
    agent_access = forms.BooleanField(
        label="Agent access (uses a paid agent seat per person)", required=False
    )
    teams = forms.MultipleChoiceField(
        label="Teams", required=False, help_text="Hold Ctrl (or ⌘) to choose several."
    )
    divisions = forms.MultipleChoiceField(
        label="Divisions", required=False, help_text="Hold Ctrl (or ⌘) to choose several."
    )
    # Prefilled at acceptance; only when inviting one person (INV-1).
    first_name = forms.CharField(label="First name", required=False)
    last_name = forms.CharField(label="Last name", required=False)
    phone = forms.CharField(label="Phone", required=False)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["type"] = "tel"
        for name in ("first_name", "last_name", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["role"].choices = role_choices(account)
        self.fields["teams"].choices = group_choices(Team, account)
        self.fields["divisions"].choices = group_choices(Division, account)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="First name", required=False, max_length=150)
    last_name = forms.CharField(label="Last name", required=False, max_length=150)
    phone = forms.CharField(label="Phone", required=False, max_length=40)
    email = forms.CharField(
        label="Email",
        required=False,
        disabled=True,
        help_text="Email addresses cannot be changed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["readonly"] = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "type": "tel"})


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(account)


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason", choices=DeactivationReason.choices, initial=DeactivationReason.OTHER
    )
    reassign_to = forms.ChoiceField(label="Reassign open tickets to", required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].choices = active_member_choices(member.account, excluding=member)


class OffboardForm(forms.Form):
    reassign_tickets_to = forms.ChoiceField(label="Reassign open tickets to", required=False)
    transfer_assets_to = forms.ChoiceField(
        label="Transfer macros and saved views to", required=False
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        choices = active_member_choices(member.account, excluding=member)
        self.fields["reassign_tickets_to"].choices = choices
        self.fields["transfer_assets_to"].choices = choices
