"""Activity types of the organisation area that the shared registry does not list yet."""

from crewbase.audit.registry import register

register("ticket.deleted", "Ticket deleted", "work")
register("tickets.exported", "Tickets exported", "security")
register("member.chat_access_changed", "Supervisor chat access changed", "organisation")
