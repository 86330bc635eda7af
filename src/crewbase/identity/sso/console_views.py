"""Console pages for SSO connections (security.manage): list, add, edit, test, enable,
enforce, delete. Each POST calls one action; errors go next to their field."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.console.errors import add_to_form
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError, ValidationFailed
from crewbase.identity.sso import actions, flow, selectors
from crewbase.identity.sso.forms import ConnectionForm, mapping_from_text, mapping_to_text
from crewbase.identity.sso.models import Kind
from crewbase.identity.sso.validation import TEXT_LIMITS

TEXT_FIELDS = tuple(TEXT_LIMITS)  # the free-text fields, as the action reads them


def _initial(connection) -> dict:
    return {
        **{
            name: getattr(connection, name, "") for name in TEXT_FIELDS if hasattr(connection, name)
        },
        "preset": connection.preset,
        "domains": "\n".join(connection.domain_names),
        "provisioning": connection.provisioning,
        "default_role_id": connection.default_role_id or "",
        "jit_agent_access": connection.jit_agent_access,
        "group_mapping": mapping_to_text(connection.group_mapping, connection.account),
    }


def _data_from(form, account) -> dict:
    form.is_valid()  # reads the fields; the action validates
    raw = form.cleaned_data
    errors: dict = {}
    data = {name: raw.get(name) or "" for name in TEXT_FIELDS}
    if not data["client_secret"]:
        del data["client_secret"]  # empty: keep the stored one
    if not data["metadata_xml"]:
        del data["metadata_xml"]
    data |= {
        "preset": raw.get("preset") or form.data.get("preset", ""),
        "domains": raw.get("domains") or "",
        "provisioning": raw.get("provisioning") or form.data.get("provisioning", ""),
        "default_role_id": raw.get("default_role_id") or None,
        "jit_agent_access": bool(raw.get("jit_agent_access")),
        "group_mapping": mapping_from_text(raw.get("group_mapping") or "", account, errors),
    }
    if errors:
        raise ValidationFailed(errors)
    return data


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def connections(request):
    account = request.actor.account
    form = ConnectionForm(request.POST or None, account=account)
    status = 200
    if request.method == "POST":
        try:
            connection = actions.create_sso_connection(
                actor=request.actor, data=_data_from(form, account)
            )
        except DomainError as error:
            add_to_form(form, error)
            status = error.status
        else:
            added = gettext("Connection “%(name)s” added. Run a test sign-in.")
            messages.success(request, added % {"name": connection.name})
            return redirect("sso:connection", connection.pk)
    context = {"connections": selectors.connections_of(request.actor), "form": form}
    return render(request, "sso/connections.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def connection(request, connection_id: int):
    found = selectors.get_connection(request.actor, connection_id)
    account = request.actor.account
    status = 200
    if request.method == "POST":
        form = ConnectionForm(request.POST, account=account)
        try:
            actions.update_sso_connection(
                actor=request.actor, connection=found, data=_data_from(form, account)
            )
        except DomainError as error:
            add_to_form(form, error)
            status = error.status
        else:
            messages.success(request, gettext("Connection saved."))
            return redirect("sso:connection", found.pk)
    else:
        form = ConnectionForm(initial=_initial(found), account=account)
    result = request.session.pop(flow.TEST_RESULT_KEY, None)
    if result and result.get("connection") != found.pk:
        result = None
    claims = result["claims"] if result else (found.test_claims or {})
    context = {
        "connection": found,
        "form": form,
        "test_result": result,
        # JSON as the IdP sent it (true, ["a", "b"]), not Python's repr.
        "claim_rows": [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in claims.items()],
        "is_saml": found.kind == Kind.SAML,
        **_provider_urls(request, found),
        "sign_in_link": request.build_absolute_uri(f"/sso/{account.pk}/"),
    }
    return render(request, "sso/connection.html", context, status=status)


def _provider_urls(request, connection) -> dict:
    """What the admin gives the identity provider: where it answers (ACS URL or redirect
    URI) and, for SAML, our metadata."""
    base = f"{request.scheme}://{request.get_host()}/accounts/{connection.kind}/"
    key = connection.provider_key
    if connection.kind == Kind.SAML:
        return {
            "provider_return_url": f"{base}{key}/acs/",
            "sp_metadata_url": f"{base}{key}/metadata/",
        }
    return {"provider_return_url": f"{base}{key}/login/callback/"}


def _state_change(request, connection_id: int, change, success: str):
    found = selectors.get_connection(request.actor, connection_id)
    try:
        change(found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("sso:connection", found.pk)


@require_POST
@console_page("security.manage")
def enable(request, connection_id: int):
    on = request.POST.get("enabled") == "1"
    return _state_change(
        request,
        connection_id,
        lambda c: actions.set_sso_connection_enabled(actor=request.actor, connection=c, enabled=on),
        gettext("Connection enabled.") if on else gettext("Connection disabled."),
    )


@require_POST
@console_page("security.manage")
def enforce(request, connection_id: int):
    on = request.POST.get("enforced") == "1"
    return _state_change(
        request,
        connection_id,
        lambda c: actions.update_sso_connection(
            actor=request.actor, connection=c, data={"enforced": on}
        ),
        gettext("SSO is now required for members; the owner keeps the break-glass password.")
        if on
        else gettext("Members may sign in with a password again."),
    )


@require_POST
@console_page("security.manage")
def test_sign_in(request, connection_id: int):
    found = selectors.get_connection(request.actor, connection_id)
    return flow.start(request, found, test=True)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def delete(request, connection_id: int):
    found = selectors.get_connection(request.actor, connection_id)
    if request.method == "POST":
        actions.delete_sso_connection(actor=request.actor, connection=found)
        messages.success(request, gettext("Connection “%(name)s” removed.") % {"name": found.name})
        return redirect("sso:connections")
    return render(request, "sso/delete.html", {"connection": found})
