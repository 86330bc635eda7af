"""/webhooks: signed event delivery to a host's receiver (API-4): endpoints, log, redelivery."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema, Status
from pydantic import Field

from crewbase.api.schemas import Error, Flag, Input, Text
from crewbase.webhooks import actions, selectors
from crewbase.webhooks.events import EVENT_TYPES

router = Router(tags=["webhooks"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


class EndpointIn(Input):
    url: Text(2000)
    event_types: list[Text(64)] = Field(
        default_factory=list, max_length=50, description=f"Empty = all: {', '.join(EVENT_TYPES)}"
    )
    active: Flag = True


class EndpointPatch(Input):
    url: Text(2000) | None = None
    event_types: list[Text(64)] | None = Field(None, max_length=50)
    active: Flag | None = None


class EndpointOut(Schema):
    id: int
    url: str
    event_types: list[str]
    active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    created_at: datetime


class NewEndpointOut(EndpointOut):
    secret: str = Field(description="The signing secret: shown this once, never again")


class AttemptOut(Schema):
    started_at: datetime
    finished_at: datetime
    succeeded: bool
    error: str
    latency_ms: int
    status_code: int | None = Field(description="HTTP status the receiver answered, if any")


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    status: str
    waiting: bool = Field(description="Queued behind an earlier event of this endpoint")
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    attempt_log: list[AttemptOut]

    @staticmethod
    def resolve_event_id(row):
        return row.payload["event"]["id"]

    @staticmethod
    def resolve_event_type(row):
        return row.payload["event"]["type"]

    @staticmethod
    def resolve_attempt_log(row):
        return row.attempts_logged


class DeliveryPaging(Schema):
    limit: int = Field(100, ge=1, le=500)


@router.get("", response={200: list[EndpointOut], **ERRORS})
def list_endpoints(request):
    return list(selectors.endpoints_visible_to(request.auth)[:500])


@router.post("", response={201: NewEndpointOut, **ERRORS})
def create(request, payload: EndpointIn):
    endpoint, _ = actions.create_webhook_endpoint(
        actor=request.auth, url=payload.url, event_types=payload.event_types, active=payload.active
    )
    # NewEndpointOut.secret reads the model property (decrypted): shown in this response only.
    return Status(201, endpoint)


@router.patch("/{int:webhook_id}", response={200: EndpointOut, **ERRORS})
def update(request, webhook_id: int, payload: EndpointPatch):
    endpoint = selectors.get_endpoint(request.auth, webhook_id)
    changes = payload.dict(exclude_unset=True)
    return actions.update_webhook_endpoint(actor=request.auth, endpoint=endpoint, changes=changes)


@router.delete("/{int:webhook_id}", response={204: None, **ERRORS})
def delete(request, webhook_id: int):
    endpoint = selectors.get_endpoint(request.auth, webhook_id)
    actions.delete_webhook_endpoint(actor=request.auth, endpoint=endpoint)
    return Status(204, None)


@router.get("/{int:webhook_id}/deliveries", response={200: list[DeliveryOut], **ERRORS})
def list_deliveries(request, webhook_id: int, paging: Query[DeliveryPaging]):
    endpoint = selectors.get_endpoint(request.auth, webhook_id)
    return selectors.deliveries(request.auth, endpoint, limit=paging.limit)


@router.post(
    "/{int:webhook_id}/deliveries/{int:delivery_id}/redeliver",
    response={202: DeliveryOut, **ERRORS},
)
def redeliver(request, webhook_id: int, delivery_id: int):
    endpoint = selectors.get_endpoint(request.auth, webhook_id)
    row = actions.redeliver_webhook(actor=request.auth, endpoint=endpoint, delivery_id=delivery_id)
    return Status(202, selectors.delivery(request.auth, endpoint, row.pk))
