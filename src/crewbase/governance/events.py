"""Activity types of this area (ACT-1); imported from GovernanceConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

for _key, _label, _category in [
    ("checklist.item_created", _("Checklist item created"), "governance"),
    ("checklist.item_updated", _("Checklist item changed"), "governance"),
    ("checklist.item_deleted", _("Checklist item deleted"), "governance"),
    ("checklist.ticked", _("Checklist item ticked"), "governance"),
    ("checklist.skipped", _("Checklist item skipped"), "governance"),
    ("checklist.unticked", _("Checklist item unticked"), "governance"),
    ("schedule.created", _("Deactivation or reactivation scheduled"), "governance"),
    ("schedule.changed", _("Scheduled change edited"), "governance"),
    ("schedule.cancelled", _("Scheduled change cancelled"), "governance"),
    ("schedule.dropped", _("Scheduled change dropped"), "governance"),
    ("review.started", _("Access review started"), "governance"),
    ("review.decided", _("Access review item decided"), "governance"),
    ("review.signed_off", _("Access review signed off"), "governance"),
]:
    register(_key, _label, _category)
