"""The users list's "Onboarding" column and `onboarding=complete|incomplete` filter (LIFE-8)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crewbase.governance.models import OnboardingCompletion
from crewbase.governance.onboarding import progress_for
from crewbase.people import list_extensions

CHOICES = [
    ("", _("Any onboarding")),
    ("complete", _("Complete")),
    ("incomplete", _("Incomplete")),
]


def parse(actor, raw: str, errors: dict):
    value = raw.lower()
    if value not in ("complete", "incomplete"):
        errors["onboarding"] = gettext("must be complete or incomplete")
        return None
    # A lookup by primary key per row walked (an anti-join for "incomplete"); measured faster
    # than NOT IN (subquery) for "incomplete" on PostgreSQL.
    condition = Exists(OnboardingCompletion.objects.filter(member_id=OuterRef("pk")))
    return condition if value == "complete" else ~condition


def _cell(progress) -> str:
    """The cell's text in the reader's language (str(progress) stays English for logs)."""
    if progress.complete or progress.completed_at:
        return gettext("Complete")
    return gettext("%(done)s of %(total)s") % {"done": progress.done, "total": progress.total}


def register_all() -> None:
    list_extensions.register_filter(
        list_extensions.MemberFilter(
            name="onboarding",
            label=_("Onboarding"),
            parse=parse,
            choices=lambda account: CHOICES,
            description="complete or incomplete",
        )
    )
    list_extensions.register_column(
        list_extensions.MemberColumn(
            key="onboarding",
            label=_("Onboarding"),
            template="console/members/_text_cell.html",
            values=lambda members: {pk: _cell(p) for pk, p in progress_for(list(members)).items()},
        )
    )
