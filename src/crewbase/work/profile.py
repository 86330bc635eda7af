"""Profile sections: presence and performance figures, and the member's work activity."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crewbase.access import policy
from crewbase.console.profile_sections import ProfileSection, register
from crewbase.core.errors import ValidationFailed
from crewbase.work import chart, performance, presence
from crewbase.work.models import WorkEvent, WorkKind

RECENT_WORK = 20


def _presence_and_figures(request, member) -> dict | None:
    actor = request.actor
    if not actor:
        return None
    context = {"presence": presence.presence_of([member])[member.pk]}
    if not policy.can(actor, "analytics.view"):
        return context
    raw_from, raw_to = request.GET.get("perf_from"), request.GET.get("perf_to")
    try:
        period = performance.parse_period(raw_from, raw_to)
    except ValidationFailed as refused:
        context["period_errors"] = refused.errors
        period = performance.parse_period(None, None)
    figures = performance.figures(actor, [member.pk], period)
    context.update(
        figures=figures,
        perf_from=raw_from if raw_from is not None else period.start.isoformat(),
        perf_to=raw_to if raw_to is not None else period.end.isoformat(),
        chart=chart.daily_bars(figures.daily, "handled", gettext("Tickets handled")),
    )
    return context


def _work_activity(request, member) -> dict | None:
    actor = request.actor
    if not actor:
        return None
    is_self = actor.member is not None and actor.member.pk == member.pk
    if not is_self and not policy.can(actor, "analytics.view"):
        return None
    events = WorkEvent.objects.filter(account=actor.account, member_id=member.pk)
    # The type filter offers only the types this member actually has (as ACT-2 does).
    performed = set(events.order_by().values_list("kind", flat=True).distinct())
    types = [(key, label) for key, label in WorkKind.choices if key in performed]
    chosen = request.GET.get("work_type", "")
    if chosen in performed:
        events = events.filter(kind=chosen)
    else:
        chosen = ""
    recent = list(events.order_by("-occurred_at", "-id")[:RECENT_WORK])
    labels = dict(WorkKind.choices)
    for event in recent:
        event.label = labels.get(event.kind, event.kind)
    return {"events": recent, "types": types, "chosen": chosen}


def register_all() -> None:
    register(
        ProfileSection(
            key="presence_performance",
            title=_("Presence and performance"),
            template="work/_profile_performance.html",
            order=40,
            context=_presence_and_figures,
        )
    )
    register(
        ProfileSection(
            key="work_activity",
            title=_("Work activity"),
            template="work/_profile_work_activity.html",
            order=45,
            context=_work_activity,
        )
    )
