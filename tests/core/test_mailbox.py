"""Without SMTP_URL the worker writes .eml files that /dev/mailbox/ shows, links clickable."""

import pytest
from django.core import mail as django_mail

from crewbase.core.models import OutboxMessage
from crewbase.people.actions.invitations import invite_people
from tests.conftest import actor_for, builtin_role, make_account
from tests.core.mailtest import run_worker_once
from tests.core.outbox_rows import queue_plain


@pytest.mark.django_db(transaction=True)
def test_delivered_invitation_is_listed_and_its_link_is_clickable(client, mailbox_dir):
    _account, owner = make_account(name="Mailbox Co")
    invite_people(
        actor=actor_for(owner), emails="dana@example.com", role_id=builtin_role("agent").pk
    )
    run_worker_once()

    [eml] = list(mailbox_dir.glob("*.eml"))
    listing = client.get("/dev/mailbox/")
    assert listing.status_code == 200
    assert "dana@example.com" in listing.text and "Mailbox Co" in listing.text
    page = client.get(f"/dev/mailbox/{eml.name}/")
    assert page.status_code == 200
    assert '<a href="http://127.0.0.1:8000/invitations/' in page.text


@pytest.mark.django_db(transaction=True)
def test_a_repeated_delivery_overwrites_instead_of_adding_a_message(mailbox_dir):
    row = queue_plain()
    run_worker_once()
    OutboxMessage.objects.filter(pk=row.pk).update(status="pending")  # as if never marked sent
    run_worker_once()
    assert len(list(mailbox_dir.glob("*.eml"))) == 1


@pytest.mark.django_db
def test_mailbox_does_not_exist_when_smtp_is_configured(client, settings, mailbox_dir):
    mailbox_dir.mkdir(parents=True)
    (mailbox_dir / "old.eml").write_bytes(b"Subject: old\n\nold body\n")
    assert client.get("/dev/mailbox/old.eml/").status_code == 200
    settings.SMTP_URL = "smtp://127.0.0.1:25"
    assert client.get("/dev/mailbox/").status_code == 404
    assert client.get("/dev/mailbox/old.eml/").status_code == 404


@pytest.mark.django_db
def test_mailbox_can_be_switched_off_and_refuses_odd_names(client, settings, mailbox_dir):
    assert client.get("/dev/mailbox/").status_code == 200
    assert client.get("/dev/mailbox/missing.eml/").status_code == 404
    assert client.get("/dev/mailbox/notes.txt/").status_code == 404
    assert client.get("/dev/mailbox/..%2Fsecret.eml/").status_code == 404
    settings.DEV_MAILBOX_ENABLED = False
    assert client.get("/dev/mailbox/").status_code == 404


@pytest.mark.django_db
def test_djangos_send_mail_lands_in_the_outbox(settings):
    settings.EMAIL_BACKEND = "crewbase.core.mail.OutboxOnlyBackend"
    django_mail.send_mail("Stray", "Sent by a library", None, ["eve@example.com"])
    row = OutboxMessage.objects.get(payload__to="eve@example.com")
    assert row.payload["subject"] == "Stray"
    assert row.payload["body"].strip() == "Sent by a library"


@pytest.mark.django_db
def test_mailbox_is_not_readable_from_another_machine(client):
    assert client.get("/dev/mailbox/", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/dev/mailbox/", REMOTE_ADDR="203.0.113.9").status_code == 404
