"""Activity types of the organisation area that the shared registry does not list yet."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

register("ticket.deleted", _("Ticket deleted"), "work")
register("tickets.exported", _("Tickets exported"), "security")
register("member.chat_access_changed", _("Supervisor chat access changed"), "organisation")
