"""Review campaigns in the console: start, decide items, sign off, export CSV and printable HTML."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crewbase.access import policy
from crewbase.console.errors import add_to_form, sentence
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError, NotFound, PermissionDenied
from crewbase.governance import campaigns
from crewbase.governance.export import campaign_csv
from crewbase.governance.forms import CampaignForm, DecisionForm
from crewbase.governance.models import Decision, ReviewItem


def _campaign(request, campaign_id):
    try:
        return campaigns.get_campaign(request.actor, int(campaign_id))
    except ValueError:
        raise NotFound(gettext("No such access review.")) from None


def _list_page(request, form=None, status=200):
    actor = request.actor
    context = {
        "campaigns": campaigns.campaigns_of(actor)[:100],
        "can_manage": policy.can(actor, "users.manage"),
        "form": form or CampaignForm(account=actor.account, actor_member=actor.member),
    }
    return render(request, "governance/reviews.html", context, status=status)


@console_page("audit.view")
@require_http_methods(["GET", "HEAD", "POST"])
def review_list(request):
    if request.method != "POST":
        return _list_page(request)
    data = request.POST
    form = CampaignForm(data, account=request.actor.account)
    form.is_valid()
    try:
        campaign = campaigns.start_campaign(
            actor=request.actor,
            name=data.get("name", ""),
            scope=data.get("scope", ""),
            role_id=data.get("role") if data.get("scope") == "role" else None,
            team_id=data.get("team") if data.get("scope") == "team" else None,
            reviewer_id=data.get("reviewer") or None,
            due=data.get("due_date") or None,
        )
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        form.errors.clear()
        add_to_form(form, error)
        return _list_page(request, form, status=error.status)
    count = campaign.items.count()
    messages.success(
        request,
        gettext("Review '%(name)s' started with %(count)s item(s).")
        % {"name": campaign.name, "count": count},
    )
    return redirect("governance_review", campaign_id=campaign.pk)


def _detail_page(request, campaign, *, failed_item=None, failed_form=None, status=200):
    actor = request.actor
    show = request.GET.get("show", "open")
    items = campaign.items.all()
    if show == "open":
        items = items.filter(decision="")
    rows = []
    for item in items[:500]:
        if failed_item is not None and item.pk == failed_item.pk:
            rows.append((item, failed_form))
        else:
            rows.append((item, DecisionForm(account=actor.account, auto_id=f"id_{item.pk}_%s")))
    context = {
        "campaign": campaign,
        "rows": rows,
        "show": show,
        "open_count": campaign.items.filter(decision="").count(),
        "total": campaign.items.count(),
        "can_manage": policy.can(actor, "users.manage"),
        "verified": campaigns.verify_record(campaign),
    }
    return render(request, "governance/review_detail.html", context, status=status)


@require_safe
@console_page("audit.view")
def review_detail(request, campaign_id):
    return _detail_page(request, _campaign(request, campaign_id))


@console_page("users.manage")
@require_POST
def decide(request, campaign_id, item_id):
    campaign = _campaign(request, campaign_id)
    item = (
        ReviewItem.objects.filter(campaign=campaign, pk=item_id).first()
        if item_id < 2**63
        else None
    )
    if item is None:
        raise NotFound(gettext("No such item in this review."))
    form = DecisionForm(request.POST, account=request.actor.account, auto_id=f"id_{item.pk}_%s")
    form.is_valid()
    try:
        campaigns.decide_item(
            actor=request.actor,
            item=item,
            decision=request.POST.get("decision", ""),
            role_id=request.POST.get("role") or None,
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        form.errors.clear()
        add_to_form(form, error, aliases={"role_id": "role", "member": "__all__"})
        return _detail_page(
            request, campaign, failed_item=item, failed_form=form, status=error.status
        )
    decision = request.POST.get("decision", "")
    label = str(dict(Decision.choices).get(decision, decision)).lower()
    messages.success(
        request,
        gettext("%(email)s: %(decision)s.") % {"email": item.member_email, "decision": label},
    )
    return redirect("governance_review", campaign_id=campaign.pk)


@console_page("users.manage")
@require_POST
def sign_off(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    try:
        campaigns.sign_off(actor=request.actor, campaign=campaign)
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, sentence(error.message))
        return redirect("governance_review", campaign_id=campaign.pk)
    messages.success(request, gettext("Review signed off. The record is kept and can be exported."))
    return redirect("governance_review", campaign_id=campaign.pk)


@console_page("users.manage")
@require_POST
def remind(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    try:
        count = campaigns.remind_now(actor=request.actor, campaign=campaign)
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, sentence(error.message))
        return redirect("governance_review", campaign_id=campaign.pk)
    messages.success(
        request,
        gettext("Reminder emailed about %(count)s open item(s).") % {"count": count},
    )
    return redirect("governance_review", campaign_id=campaign.pk)


@require_safe
@console_page("audit.view")
def export_csv(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    response = HttpResponse(campaign_csv(campaign), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{campaign.pk}.csv"'
    return response


@require_safe
@console_page("audit.view")
def printable(request, campaign_id):
    campaign = _campaign(request, campaign_id)
    context = {
        "campaign": campaign,
        "items": campaign.items.all(),
        "verified": campaigns.verify_record(campaign),
    }
    return render(request, "governance/review_record.html", context)
