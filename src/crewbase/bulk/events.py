"""Activity types of this area (ACT-1): each member's own change is recorded by its action."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

for _key, _label in [
    ("bulk.job_started", _("Bulk action started")),
    ("bulk.job_finished", _("Bulk action finished")),
    ("bulk.csv_imported", _("Invitations sent from a CSV file")),
]:
    register(_key, _label, "members")
