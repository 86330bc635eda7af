"""/access-review/ and "why can this member do X" (§14)."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from crewbase.console.errors import sentence
from crewbase.console.views.guards import console_page
from crewbase.core.errors import NotFound, ValidationFailed
from crewbase.governance import access_review, explain
from crewbase.people.models import Member


@require_safe
@console_page("audit.view")
def page(request):
    raw = request.GET.get("inactive_days", "")
    error = ""
    try:
        days = access_review.parse_days(raw)
    except ValidationFailed as refused:
        error = sentence(refused.errors["inactive_days"])
        days = access_review.DEFAULT_INACTIVE_DAYS
    groups = access_review.build(request.actor, inactive_days=days, translate=gettext)
    context = {"groups": groups, "days": days, "raw_days": raw or days, "days_error": error}
    return render(request, "governance/access_review.html", context, status=400 if error else 200)


class ExplainForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    permission = forms.ChoiceField(label=_("Can they…"), choices=explain.choices())

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(account=account).order_by("display_name", "id")[:1000]
        self.fields["member"].choices = [("", _("Choose…"))] + [
            (str(m.pk), f"{m.display_name} ({m.email})") for m in members
        ]


@require_safe
@console_page("audit.view")
def why(request):
    asked = "member" in request.GET or "permission" in request.GET
    form = ExplainForm(request.GET if asked else None, account=request.actor.account)
    answer = None
    status = 200
    if asked:
        from crewbase.people.selectors import get_member

        try:
            if not request.GET.get("member"):
                raise ValidationFailed({"member": gettext("choose a member")})
            try:
                member = get_member(request.actor, request.GET.get("member"))
            except NotFound:
                raise ValidationFailed(
                    {"member": gettext("is not a member of this account")}
                ) from None
            answer = explain.explain_member(
                actor=request.actor, member=member, asked=request.GET.get("permission", "")
            )
        except ValidationFailed as error:
            form.errors.clear()
            for field, reason in error.errors.items():
                form.add_error(field if field in form.fields else None, sentence(reason))
            status = 400
    return render(
        request, "governance/explain.html", {"form": form, "answer": answer}, status=status
    )
