"""Activity types of this area (ACT-1): each member's own change is recorded by its action."""

from crewbase.audit.registry import register

for _key, _label in [
    ("bulk.job_started", "Bulk action started"),
    ("bulk.job_finished", "Bulk action finished"),
    ("bulk.csv_imported", "Invitations sent from a CSV file"),
]:
    register(_key, _label, "members")
