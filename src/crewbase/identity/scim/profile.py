"""The member profile's "Provisioning (SCIM)" section: what the identity provider calls them."""

from django.utils.translation import gettext_lazy as _

from crewbase.access import policy
from crewbase.console.profile_sections import ProfileSection, register
from crewbase.identity.scim.models import ScimUser


def _context(request, member):
    if not policy.can(request.actor, "users.view"):
        return None
    row = ScimUser.objects.filter(member=member).first()
    if row is None:
        return None  # never touched by SCIM: nothing to say
    return {
        "user_name": row.user_name,
        "external_id": row.external_id,
        "updated_at": row.updated_at,
    }


register(
    ProfileSection(
        key="scim",
        title=_("Provisioning (SCIM)"),
        template="scim/_profile_section.html",
        order=80,
        context=_context,
    )
)
