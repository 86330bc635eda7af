"""Receiver URLs may not reach inside the network, at registration and at delivery."""

import socket

import pytest

from crewbase.core.errors import ValidationFailed
from crewbase.webhooks import ssrf, transport
from crewbase.webhooks.actions import create_webhook_endpoint, update_webhook_endpoint
from tests.conftest import actor_for, make_account
from tests.webhooks.receiver import running_receiver
from tests.webhooks.tls_receiver import running_tls_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _guarded(settings):
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost/hook",
        "http://metadata.google.internal/hook",
        "http://printer.local/hook",
    ],
)
def test_private_loopback_and_link_local_receivers_are_refused_at_registration(url):
    _, owner = make_account()
    with pytest.raises(ValidationFailed) as refused:
        create_webhook_endpoint(actor=actor_for(owner), url=url)
    assert "url" in refused.value.errors


def test_a_public_receiver_is_accepted_and_an_edit_to_a_private_one_refused():
    _, owner = make_account()
    endpoint, _ = create_webhook_endpoint(actor=actor_for(owner), url="https://8.8.8.8/hook")
    with pytest.raises(ValidationFailed) as refused:
        update_webhook_endpoint(
            actor=actor_for(owner), endpoint=endpoint, changes={"url": "http://10.0.0.1/"}
        )
    assert refused.value.errors["url"].startswith("must not point")


def test_delivery_resolves_the_name_and_refuses_private_answers():
    # "localhost" resolves to loopback: a name that looks public could do the same (rebinding
    # aside), so the check runs on the addresses, right before the request.
    with pytest.raises(ssrf.BlockedAddress):
        ssrf.check_before_sending("http://localhost:8080/hook")
    with pytest.raises(ConnectionError):
        ssrf.check_before_sending("http://no-such-host.invalid/hook")
    ssrf.check_before_sending("http://8.8.8.8/hook")  # a public literal needs no lookup


def test_the_setting_lifts_the_rule_for_tests_and_local_development(settings):
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = True
    _, owner = make_account()
    create_webhook_endpoint(actor=actor_for(owner), url="http://127.0.0.1:9/hook")
    ssrf.check_before_sending("http://localhost:8080/hook")


def test_an_endpoint_that_now_resolves_privately_is_not_contacted(settings):
    from django.db import transaction

    from crewbase.core.delivery import deliver_due
    from crewbase.core.models import OutboxMessage
    from crewbase.webhooks.events import emit

    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = True
    _, owner = make_account()
    create_webhook_endpoint(actor=actor_for(owner), url="http://localhost:9/hook")
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = False
    with transaction.atomic():
        emit(actor_for(owner), "member.reactivated", {"member_id": owner.pk})
    deliver_due()
    row = OutboxMessage.objects.get(kind="webhook")
    assert row.status == "pending" and "non-public address" in row.last_error


class _RebindingDns:
    """A DNS server that answers `first` once, then `later`: the rebinding attack."""

    def __init__(self, first: str, later: str):
        self.answers = [first]
        self.later = later
        self.asked = 0
        self.real = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        if host != "hooks.example.test":
            return self.real(host, port, *args, **kwargs)
        self.asked += 1
        address = self.answers.pop(0) if self.answers else self.later
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]


def test_the_request_goes_to_the_checked_address_not_to_a_second_answer(settings, monkeypatch):
    # First answer: 127.0.0.2, where nothing listens; any later answer: 127.0.0.1, where the
    # receiver does. A client that resolved again would reach the receiver.
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = True
    dns = _RebindingDns(first="127.0.0.2", later="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    with running_receiver() as receiver:
        with pytest.raises(transport.NoResponse):
            transport.post(f"http://hooks.example.test:{receiver.port}/hook", b"{}", {}, timeout=2)
        assert receiver.arrived == 0 and dns.asked == 1

        status = transport.post(
            f"http://hooks.example.test:{receiver.port}/hook?x=1", b"{}", {}, timeout=2
        )
    assert status == 200
    headers, _ = receiver.requests[0]
    assert headers["Host"] == f"hooks.example.test:{receiver.port}"


def test_a_name_answering_privately_is_refused_before_any_connection(settings, monkeypatch):
    # With the guard on, a private answer refuses the delivery before anything connects.
    dns = _RebindingDns(first="127.0.0.1", later="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    with running_receiver() as receiver, pytest.raises(ssrf.BlockedAddress):
        transport.post(f"http://hooks.example.test:{receiver.port}/", b"{}", {}, timeout=2)
    assert receiver.arrived == 0


def test_https_checks_the_certificate_against_the_name_not_the_address(settings, monkeypatch):
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = True
    monkeypatch.setattr(socket, "getaddrinfo", _RebindingDns("127.0.0.1", "127.0.0.1"))
    with running_tls_receiver("hooks.example.test") as (receiver, ca_bundle):
        url = f"https://hooks.example.test:{receiver.port}/hook"
        with pytest.raises(transport.NoResponse):  # our test CA is not in the public bundle
            transport.post(url, b"{}", {}, timeout=2)
        monkeypatch.setattr(transport.certifi, "where", lambda: ca_bundle)
        assert transport.post(url, b"{}", {}, timeout=2) == 200
    assert receiver.requests[0][0]["Host"] == f"hooks.example.test:{receiver.port}"

    with running_tls_receiver("other.example.test") as (receiver, ca_bundle):
        monkeypatch.setattr(transport.certifi, "where", lambda: ca_bundle)
        with pytest.raises(transport.NoResponse):  # trusted CA, but a certificate for another name
            transport.post(f"https://hooks.example.test:{receiver.port}/", b"{}", {}, timeout=2)
    assert receiver.arrived == 0
