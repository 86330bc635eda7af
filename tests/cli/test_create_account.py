import re

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from crewbase.accounts.models import Account
from crewbase.audit.models import ActivityEvent
from crewbase.people.models import Member
from tests.cli.commands import run

pytestmark = pytest.mark.django_db


def test_prints_the_account_id_and_a_set_password_link_for_a_new_owner():
    out, _ = run(
        "create-account",
        "--name", "Globex Help Desk",
        "--owner-email", "Hank@Globex.example",
        "--owner-first-name", "Hank",
        "--owner-last-name", "Scorpio",
        "--plan", "business",
        "--user-limit", "25",
        "--agent-seats", "3",
    )  # fmt: skip
    account_id = int(re.search(r"^account id: (\d+)$", out, re.M).group(1))
    account = Account.objects.get(pk=account_id)
    assert (account.name, account.plan, account.user_limit) == ("Globex Help Desk", "business", 25)
    assert account.agent_seat_total == 4
    owner = Member.objects.get(account=account, is_owner=True)
    assert owner.email == "hank@globex.example" and owner.is_billing_contact
    assert "owner: hank@globex.example" in out
    link = re.search(r"^set-password link \(one-time\): (\S+)$", out, re.M).group(1)
    assert link.startswith(settings.CREWBASE_BASE_URL + "/")
    assert ActivityEvent.objects.filter(account=account, action="account.created").exists()


def test_the_set_password_link_lets_the_owner_choose_a_password_and_sign_in(client):
    out, _ = run("create-account", "--name", "Initech", "--owner-email", "bill@initech.example")
    link = re.search(r"^set-password link \(one-time\): (\S+)$", out, re.M).group(1)
    path = link.removeprefix(settings.CREWBASE_BASE_URL)
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    new_password = "a long and unusual passphrase 7"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code in (200, 302)
    owner = Member.objects.get(email="bill@initech.example", is_owner=True)
    owner.person.refresh_from_db()
    assert owner.person.check_password(new_password)
    assert owner.person.is_registered
    assert client.login(username="bill@initech.example", password=new_password)


def test_bad_input_names_the_option_and_reason_and_creates_nothing():
    with pytest.raises(CommandError) as failure:
        run(
            "create-account", "--name", "  ", "--owner-email", "not-an-email", "--agent-seats", "-1"
        )
    message = str(failure.value)
    assert "--name: enter an account name" in message
    assert "--owner-email:" in message and "valid email" in message
    assert "--agent-seats: cannot be negative" in message
    assert "\n" not in message
    assert failure.value.returncode == 2
    assert not Account.objects.exists()


def test_an_owner_who_already_has_a_password_gets_no_link(account_and_owner):
    _, owner = account_and_owner
    out, _ = run("create-account", "--name", "Second shop", "--owner-email", owner.email)
    assert "set-password link" not in out
    assert "already has a password" in out
    assert Member.objects.filter(person=owner.person, is_owner=True).count() == 2
