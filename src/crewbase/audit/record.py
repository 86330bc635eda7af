"""record(): the only way an activity event is written, always inside the change's transaction."""

import hashlib
import ipaddress
import json
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from crewbase.audit import registry
from crewbase.audit.models import ActivityChainHead, ActivityEvent
from crewbase.core import clock
from crewbase.core.actor import Actor

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "action",
    "actor_kind",
    "actor_member_id",
    "actor_display",
    "target_type",
    "target_id",
    "target_display",
    "before",
    "after",
    "ip_address",
    "user_agent",
    "created_at",
)


def _canonical(value) -> object:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def event_hash(event: ActivityEvent, prev_hash: str) -> str:
    payload = {name: getattr(event, name) for name in HASHED_FIELDS}
    payload["account_id"] = event.account_id
    payload["created_at"] = event.created_at.isoformat()
    text = json.dumps(_canonical(payload), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def describe(obj) -> tuple[str, int | None, str]:
    """(type, id, display) for a target object."""
    if obj is None:
        return "", None, ""
    type_name = obj._meta.model_name
    display = str(obj)
    return type_name, obj.pk, display[:400]


def _stored_address(address: str | None) -> str | None:
    """The address spelled as the database stores it (IPv6 compressed, lower case), so the
    hash verifies after the round trip; an unparseable one is not kept."""
    address = str(address or "").strip()
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return ActivityEvent._meta.get_field("ip_address").get_prep_value(address)


def record(
    actor: Actor,
    action: str,
    target=None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    target_display: str | None = None,
) -> ActivityEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change")
    registry.get(action)  # refuses unregistered types
    head, _ = ActivityChainHead.objects.select_for_update().get_or_create(
        account_id=actor.account.pk
    )
    target_type, target_id, display = describe(target)
    member = actor.member
    event = ActivityEvent(
        account_id=actor.account.pk,
        seq=head.last_seq + 1,
        action=action,
        actor_kind=actor.kind,
        actor_member_id=member.pk if member is not None else None,
        actor_display=actor.display[:400],
        target_type=target_type,
        target_id=target_id,
        target_display=(target_display if target_display is not None else display)[:400],
        before=_canonical(before) if before is not None else None,
        after=_canonical(after) if after is not None else None,
        ip_address=_stored_address(actor.ip_address),
        user_agent=(actor.user_agent or "")[:400],
        # In UTC, as the database gives it back, so the hash verifies after the round trip.
        created_at=clock.now().astimezone(UTC),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event, head.last_hash)
    event.save()
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def verify_chain(account) -> tuple[bool, int | None]:
    """Walk the account's chain; returns (intact, first broken seq)."""
    prev = GENESIS_HASH
    expected_seq = 1
    for event in ActivityEvent.objects.filter(account=account).order_by("seq").iterator():
        if event.seq != expected_seq or event.prev_hash != prev:
            return False, event.seq
        if event_hash(event, prev) != event.hash:
            return False, event.seq
        prev = event.hash
        expected_seq += 1
    return True, None
