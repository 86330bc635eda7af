"""Console forms of this area: they collect what was typed; the actions decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crewbase.console.forms import member_email_field, role_choices
from crewbase.governance.models import CampaignScope, ChecklistKind, ScheduledAction
from crewbase.org.models import Team
from crewbase.people.models import DeactivationReason


class ScheduleForm(forms.Form):
    action = forms.ChoiceField(label=_("Scheduled action"), choices=ScheduledAction.choices)
    run_at = forms.CharField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.ChoiceField(
        label=_("Deactivation reason"),
        required=False,
        choices=[("", "—"), *list(DeactivationReason.choices)],
        help_text=_("For a deactivation only."),
    )
    reassign_to = member_email_field(_("Reassign open tickets to"))

    def __init__(self, *args, member, pending=None, **kwargs):
        initial = kwargs.pop("initial", {})
        if pending is not None and not args:
            from crewbase.governance.schedules import local_zone

            local = pending.run_at.astimezone(local_zone(member.account))
            initial = {
                "action": pending.action,
                "run_at": local.strftime("%Y-%m-%dT%H:%M"),
                "reason": pending.reason,
                "reassign_to": pending.reassign_to.email if pending.reassign_to_id else "",
            }
        elif not args:
            initial = {
                "action": "reactivate" if member.status == "deactivated" else "deactivate",
                "reason": ""
                if member.status == "deactivated"
                else DeactivationReason.TEMPORARY_LEAVE,
            }
        super().__init__(*args, initial=initial, **kwargs)
        for name in self.fields:
            self.fields[name].widget.attrs["id"] = f"id_schedule_{name}"


class ChecklistItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Checklist"), choices=ChecklistKind.choices)
    title = forms.CharField(label=_("Item"), required=False, max_length=300)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    scope = forms.ChoiceField(label=_("Who is reviewed"), choices=CampaignScope.choices)
    role = forms.ChoiceField(label=_("Role (when reviewing a role)"), required=False)
    team = forms.ChoiceField(label=_("Team (when reviewing a team)"), required=False)
    reviewer = forms.ChoiceField(label=_("Reviewer (gets the reminders)"), required=False)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, account, actor_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—"), *role_choices(account)]
        self.fields["team"].choices = [("", "—")] + [
            (str(pk), name)
            for pk, name in Team.objects.filter(account=account).values_list("pk", "name")
        ]
        from crewbase.governance.campaigns import reviewer_choices

        self.fields["reviewer"].choices = reviewer_choices(account)
        if actor_member is not None and not args:
            self.initial.setdefault("reviewer", str(actor_member.pk))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirmed", _("Confirm access")),
            ("changed", _("Change role")),
            ("revoked", _("Revoke (deactivate)")),
        ],
    )
    role = forms.ChoiceField(label=_("New role (when changing)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—"), *role_choices(account)]
