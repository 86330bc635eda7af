"""Activity types of this area (ACT-1); imported from GovernanceConfig.ready()."""

from crewbase.audit.registry import register

for _key, _label, _category in [
    ("checklist.item_created", "Checklist item created", "governance"),
    ("checklist.item_updated", "Checklist item changed", "governance"),
    ("checklist.item_deleted", "Checklist item deleted", "governance"),
    ("checklist.ticked", "Checklist item ticked", "governance"),
    ("checklist.skipped", "Checklist item skipped", "governance"),
    ("checklist.unticked", "Checklist item unticked", "governance"),
    ("schedule.created", "Deactivation or reactivation scheduled", "governance"),
    ("schedule.changed", "Scheduled change edited", "governance"),
    ("schedule.cancelled", "Scheduled change cancelled", "governance"),
    ("schedule.dropped", "Scheduled change dropped", "governance"),
    ("review.started", "Access review started", "governance"),
    ("review.decided", "Access review item decided", "governance"),
    ("review.signed_off", "Access review signed off", "governance"),
]:
    register(_key, _label, _category)
