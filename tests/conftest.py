"""Shared builders. Each builds real rows through the real actions where an action exists."""

import itertools

import pytest
from django.utils import translation

from crewbase.access.models import Role
from crewbase.accounts.actions import create_account
from crewbase.core.actor import Actor
from crewbase.people.models import Member, MemberStatus, Person

_seq = itertools.count(1)

TEST_PASSWORD = "correct horse battery staple 42"


def builtin_role(key: str) -> Role:
    return Role.objects.get(account__isnull=True, builtin_key=key)


def make_account(name=None, **kwargs):
    """An account and its owner (who has set a password)."""
    n = next(_seq)
    new = create_account(
        name=name or f"Account {n}",
        owner_email=kwargs.pop("owner_email", f"owner{n}@example.com"),
        owner_first_name="Olive",
        owner_last_name=f"Owner{n}",
        **kwargs,
    )
    person = new.owner.person
    person.set_password(TEST_PASSWORD)
    person.is_registered = True
    person.save()
    return new.account, new.owner


def make_member(account, role="agent", *, status=MemberStatus.ACTIVE, email=None, **fields):
    """A member inserted directly: for arranging a scene, not for testing how members are made."""
    n = next(_seq)
    email = email or f"person{n}@example.com"
    person = Person.objects.filter(email=email).first() or Person.objects.create_user(
        email=email, password=TEST_PASSWORD, first_name="Pat", last_name=f"Person{n}"
    )
    person.is_registered = True
    person.save()
    member = Member(
        account=account,
        person=person,
        role=builtin_role(role) if isinstance(role, str) else role,
        status=status,
        email=email,
        first_name=person.first_name,
        last_name=person.last_name,
        **fields,
    )
    member.refresh_display_name()
    member.save()
    return member


def actor_for(member) -> Actor:
    member = Member.objects.select_related("role", "account", "person").get(pk=member.pk)
    return Actor.for_member(member, ip_address="127.0.0.1", user_agent="pytest")


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (English).

    A request activates its person's language for the thread and nothing switches it back,
    so an action called directly after an Indonesian page would otherwise answer in Indonesian.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def builtin_roles_present(request):
    """Transactional tests flush every table, taking the migration-seeded roles with them."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
    elif "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("db" if "db" in request.fixturenames else "transactional_db")
    else:
        return
    from crewbase.access.builtin import seed_builtin_roles

    if not Role.objects.filter(account__isnull=True).exists():
        seed_builtin_roles(Role)


def _uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def member_counts_stay_exact(request, builtin_roles_present):
    """After every database test, the trigger-kept user and seat counts equal a real count."""
    yield
    if _uses_database(request):
        from django.db import connection

        from crewbase.people.member_counts import mismatches

        # The driver's own cursor: a test may have patched Django's (a database-down test).
        connection.ensure_connection()
        raw = connection.connection.cursor()
        try:
            assert mismatches(raw) == []
        finally:
            raw.close()


@pytest.fixture
def account_and_owner(db):
    return make_account()


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request leaves its language active in the thread (LocaleMiddleware never resets it);
    mail queued outside a request is written in the active language, so each test starts in
    the default one whatever the test before it read."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
