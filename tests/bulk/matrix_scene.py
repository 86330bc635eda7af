"""The "$name" values and setups this area's rows in tests/authz/matrix.d/bulk.yaml use."""

from crewbase.bulk.actions import start_bulk_action
from crewbase.bulk.import_actions import review_csv_import
from tests.conftest import actor_for

SETUPS: dict = {}


def scene_values(account, owner) -> dict:
    actor = actor_for(owner)
    job = start_bulk_action(actor=actor, action="agent_access_on", member_ids=[owner.pk])
    upload, _ = review_csv_import(
        actor=actor, data=b"email,role\nmatrix.newcomer@example.com,Agent\n", filename="new.csv"
    )
    return {"bulk_job": job.pk, "bulk_import": upload.pk}
