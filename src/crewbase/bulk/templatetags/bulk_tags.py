"""What the members list's bulk-action bar needs: may this viewer act, and the choices."""

from django import template

from crewbase.access import policy
from crewbase.bulk.kinds import KINDS
from crewbase.org.models import Skill, Team
from crewbase.people.models import DeactivationReason

register = template.Library()

PAGING = {"cursor", "limit", "sort", "view"}


def _allowed_kinds(request) -> list:
    # Computed once per page: the cell template asks on every row.
    cached = getattr(request, "_bulk_kinds", None)
    if cached is None:
        actor = getattr(request, "actor", None)
        cached = [k for k in KINDS.values() if actor and policy.can(actor, k.permission)]
        request._bulk_kinds = cached
    return cached


@register.simple_tag(takes_context=True)
def bulk_allowed(context) -> bool:
    request = context.get("request")
    return bool(request and _allowed_kinds(request))


@register.simple_tag(takes_context=True)
def bulk_bar(context) -> dict:
    request = context["request"]
    account = request.actor.account
    from crewbase.bulk.kinds import role_choices

    return {
        "kinds": _allowed_kinds(request),
        "roles": role_choices(account),
        "teams": list(
            Team.objects.filter(account=account).order_by("name").values_list("pk", "name")
        ),
        "skills": list(
            Skill.objects.filter(account=account)
            .order_by("name")
            .values_list("pk", "name", "min_level", "max_level")
        ),
        "reasons": DeactivationReason.choices,
        "filters": [
            (key, value)
            for key, value in request.GET.items()
            if key not in PAGING and value.strip()
        ],
    }
