"""Activity types this area records (imported from WorkConfig.ready)."""

from crewbase.audit.registry import register

register("work.events_received", "Work events received from the host", "work")
register("member.presence_set", "Presence set by the host", "work")
