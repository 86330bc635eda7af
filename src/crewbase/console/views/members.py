"""The members list /members/ (LIST-1, LIST-2) and a member's profile /members/<id>/ (ACT-2)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST, require_safe

from crewbase.access import policy
from crewbase.audit import registry
from crewbase.audit.selectors import member_activity, page_by_seq, performed_types
from crewbase.console import profile_sections
from crewbase.console.errors import sentence
from crewbase.console.forms import (
    SORT_LABELS,
    STATUS_LABELS,
    MemberFilterForm,
    ProfileForm,
    RoleForm,
)
from crewbase.console.views.guards import console_page
from crewbase.core import clock
from crewbase.core.errors import ValidationFailed
from crewbase.people import list_extensions
from crewbase.people.actions import limits
from crewbase.people.actions.preferences import members_view_of, set_members_view
from crewbase.people.selectors import get_member, list_members

FILTERS = ("q", "role", "status", "team", "agent_access", "division", "queue")
# How many earlier cursors "Previous" can walk back through; beyond that it starts over.
MAX_BACK = 20
ACTIVITY_PAGE = 25


def status_label(member) -> str:
    expires = member.invitation_expires_at
    if member.status == "invited" and expires is not None and expires <= clock.now():
        return STATUS_LABELS["expired"]
    return member.get_status_display()


def initials(member) -> str:
    parts = [p for p in (member.first_name, member.last_name) if p.strip()]
    letters = "".join(p.strip()[0] for p in parts) or member.email[:1]
    return letters.upper()[:2]


def _text(params, name: str) -> str:
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def _url(params: dict) -> str:
    kept = {k: v for k, v in params.items() if v not in ("", None)}
    return f"/members/?{urlencode(kept)}" if kept else "/members/"


@console_page("users.view")
@require_safe
def members(request):
    actor = request.actor
    params = request.GET
    names = FILTERS + tuple(f.name for f in list_extensions.filters())
    filters = {name: _text(params, name) for name in names}
    sort = _text(params, "sort") or "name"
    limit = _text(params, "limit")
    cursor = _text(params, "cursor")
    back = [c for c in _text(params, "back").split(",") if c][-MAX_BACK:]
    form = MemberFilterForm({k: v for k, v in filters.items() if v}, account=actor.account)
    errors: dict[str, str] = {}
    try:
        page = list_members(actor, sort=sort, cursor=cursor or None, limit=limit or None, **filters)
    except ValidationFailed as error:
        errors = {name: sentence(reason) for name, reason in error.errors.items()}
        page = None
    if page is not None:
        prefetch_related_objects(page.items, "teams")
        for member in page.items:
            member.status_label = status_label(member)
            member.initials = initials(member)
        extra_cells = list_extensions.cells(page.items)
        for member in page.items:
            member.extra_cells = [(column, values.get(member.pk)) for column, values in extra_cells]

    base = {**filters, "sort": sort if sort != "name" else "", "limit": limit}
    next_url = prev_url = None
    if page is not None and page.next_cursor:
        next_url = _url({**base, "cursor": page.next_cursor, "back": ",".join([*back, cursor])})
    if cursor:
        prev_url = _url({**base, "cursor": back[-1] if back else "", "back": ",".join(back[:-1])})
    sort_links = []
    for key, label in SORT_LABELS.items():
        descending = sort == f"-{key}"
        target = key if sort == f"-{key}" or sort != key else f"-{key}"
        sort_links.append(
            {
                "label": label,
                "url": _url({**filters, "sort": target, "limit": limit}),
                "current": sort in (key, f"-{key}"),
                "descending": descending,
            }
        )
    account = actor.account
    context = {
        "form": form,
        "extra_columns": list_extensions.columns(),
        "page": page,
        "errors": errors,
        "view": members_view_of(request.user),
        "filtered": any(filters.values()),
        "query": filters["q"],
        "sort": sort,
        "sort_links": sort_links,
        "next_url": next_url,
        "prev_url": prev_url,
        "here": request.get_full_path(),
        "seats_used": limits.agent_seats_used(account),
        "seats_total": account.agent_seat_total,
        "users_counted": limits.users_counted(account),
        "user_limit": account.user_limit,
        "can_invite": policy.can(actor, "users.invite"),
    }
    # htmx swaps only 2xx answers; its partial update must show the errors too.
    status = 400 if errors and not request.htmx else 200
    return render(request, "console/members/list.html", context, status=status)


@console_page("users.view")
@require_POST
def choose_view(request):
    """Table or cards, remembered for this person (LIST-2); then back to the same list."""
    try:
        set_members_view(actor=request.actor, view=request.POST.get("view", ""))
    except ValidationFailed as error:
        messages.error(request, sentence(error.message))
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if safe and back.startswith("/members/") else "members")


@console_page("users.view")
@require_safe
def profile(request, member_id):
    member = get_member(request.actor, member_id)
    return render_profile(request, member)


def render_profile(request, member, *, profile_form=None, role_form=None, status=200):
    actor = request.actor
    prefetch_related_objects([member], "teams", "divisions", "queues")
    can_manage = policy.can(actor, "users.manage")
    is_self = actor.member is not None and actor.member.pk == member.pk
    activity = None
    older_url = None
    types = []
    chosen_type = ""
    if is_self or policy.can(actor, "audit.view"):
        types = performed_types(member)
        chosen_type = _text(request.GET, "type")
        if chosen_type not in {t.key for t in types}:
            chosen_type = ""
        events = member_activity(actor, member, type=chosen_type or None)
        before = _text(request.GET, "before")
        after_seq = int(before) if before.isdigit() and len(before) < 19 else None
        activity, older = page_by_seq(events, after_seq=after_seq, limit=ACTIVITY_PAGE)
        if older:
            older_url = "?" + urlencode({"type": chosen_type, "before": older})
        for event in activity:
            known = registry.is_registered(event.action)
            event.label = registry.get(event.action).label if known else event.action
    member.status_label = status_label(member)
    member.initials = initials(member)
    context = {
        "member": member,
        "can_manage": can_manage,
        "can_invite": policy.can(actor, "users.invite"),
        "is_self": is_self,
        "profile_form": profile_form
        or ProfileForm(
            initial={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "phone": member.phone,
                "email": member.email,
            }
        ),
        "role_form": role_form
        or RoleForm(initial={"role": str(member.role_id)}, account=actor.account),
        "activity": activity,
        "activity_types": types,
        "chosen_type": chosen_type,
        "older_url": older_url,
        "extra_sections": profile_sections.render_list(request, member),
    }
    return render(request, "console/members/profile.html", context, status=status)
