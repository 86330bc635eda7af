"""Console pages for webhooks (API-4; security.manage, like the API and the other ways in):
list and create (secret shown once), subscriptions, delivery log, redeliver, switch on/off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.console.errors import add_to_form
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError
from crewbase.webhooks import actions, selectors
from crewbase.webhooks.events import EVENT_TYPES

MANAGE = "security.manage"
LOG_ROWS = 50


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Receiver URL"),
        required=False,
        max_length=2000,
        help_text=_("https://… on your helpdesk; it must answer within 5 seconds."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        choices=[(t, t) for t in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )


def _render_list(request, *, form=None, secret=None, status=200):
    context = {
        "endpoints": selectors.endpoints_visible_to(request.actor),
        "form": form or EndpointForm(),
        "secret": secret,
    }
    return render(request, "webhooks/list.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page(MANAGE)
def webhook_list(request):
    if request.method != "POST":
        return _render_list(request)
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form=form, status=422)
    try:
        endpoint, secret = actions.create_webhook_endpoint(
            actor=request.actor,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
        )
    except DomainError as error:
        add_to_form(form, error)
        return _render_list(request, form=form, status=error.status)
    # Shown on this response only; afterwards only the receiver and the database know it.
    return _render_list(request, secret={"endpoint": endpoint, "value": secret}, status=201)


def _render_detail(request, endpoint, *, form=None, status=200):
    initial = {"url": endpoint.url, "event_types": endpoint.event_types}
    context = {
        "endpoint": endpoint,
        "form": form or EndpointForm(initial=initial),
        "deliveries": selectors.deliveries(request.actor, endpoint, limit=LOG_ROWS),
    }
    return render(request, "webhooks/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page(MANAGE)
def webhook_detail(request, webhook_id: int):
    endpoint = selectors.get_endpoint(request.actor, webhook_id)
    if request.method != "POST":
        return _render_detail(request, endpoint)
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, endpoint, form=form, status=422)
    changes = {"url": form.cleaned_data["url"], "event_types": form.cleaned_data["event_types"]}
    try:
        actions.update_webhook_endpoint(actor=request.actor, endpoint=endpoint, changes=changes)
    except DomainError as error:
        add_to_form(form, error)
        return _render_detail(request, endpoint, form=form, status=error.status)
    messages.success(request, _("Webhook saved."))
    return redirect("webhook_detail", webhook_id=endpoint.pk)


@require_POST
@console_page(MANAGE)
def webhook_switch(request, webhook_id: int):
    endpoint = selectors.get_endpoint(request.actor, webhook_id)
    turn_on = request.POST.get("active") == "on"
    actions.update_webhook_endpoint(
        actor=request.actor, endpoint=endpoint, changes={"active": turn_on}
    )
    if turn_on:
        messages.success(request, _("Webhook switched on; waiting events go out in order."))
    else:
        messages.success(request, _("Webhook switched off; new events are not queued for it."))
    return redirect("webhook_detail", webhook_id=endpoint.pk)


@require_POST
@console_page(MANAGE)
def webhook_redeliver(request, webhook_id: int, delivery_id: int):
    endpoint = selectors.get_endpoint(request.actor, webhook_id)
    try:
        row = actions.redeliver_webhook(
            actor=request.actor, endpoint=endpoint, delivery_id=delivery_id
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Event %(id)s queued again.") % {"id": row.payload["event"]["id"]}
        )
    return redirect("webhook_detail", webhook_id=endpoint.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page(MANAGE)
def webhook_delete(request, webhook_id: int):
    endpoint = selectors.get_endpoint(request.actor, webhook_id)
    if request.method != "POST":
        return render(request, "webhooks/delete.html", {"endpoint": endpoint})
    actions.delete_webhook_endpoint(actor=request.actor, endpoint=endpoint)
    messages.success(request, _("Webhook deleted; its waiting events were dropped."))
    return redirect("webhooks")
