"""Activity types this area records (imported from WorkConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

register("work.events_received", _("Work events received from the host"), "work")
register("member.presence_set", _("Presence set by the host"), "work")
