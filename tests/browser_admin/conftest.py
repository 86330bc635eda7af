"""Browser fixtures come from tests/browser (helper_f's); this adds a scene and a page check."""

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.people.actions.changes import update_member
from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the members pages)
    SCREENSHOTS,
    browser,
    fresh_rate_limits,
    new_page,
    serious_violations,
    sign_in,
)
from tests.conftest import TEST_PASSWORD, actor_for, make_account, make_member
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (needed by tests.browser fixtures)


def build_scene():
    """An account with an owner, an admin and two agents, and a little activity."""
    account, owner = make_account(name="Harbor Help", owner_email="olive@harbor.example")
    account.user_limit = 25
    account.paid_agent_seats = 3
    account.save()
    people = {}
    for first, last, role in (
        ("Maya", "Lindqvist", "admin"),
        ("Omar", "Haddad", "agent"),
        ("Priya", "Raman", "agent"),
    ):
        member = make_member(account, role, email=f"{first.lower()}@harbor.example")
        member.first_name, member.last_name = first, last
        member.refresh_display_name()
        member.agent_access = role == "agent"
        member.save()
        people[first.lower()] = member
    update_member(
        actor=actor_for(owner), member=people["omar"], changes={"phone": "+44 20 7946 0000"}
    )
    update_member(
        actor=actor_for(people["maya"]), member=people["priya"], changes={"last_name": "Raman-Iyer"}
    )
    update_member(
        actor=actor_for(people["maya"]), member=people["omar"], changes={"phone": "+44 20 1"}
    )
    assert ActivityEvent.objects.filter(account=account).count() >= 3
    return account, owner, people


@pytest.fixture
def harbor(transactional_db):
    return build_scene()


def signed_in_page(open_page, member, color_scheme: str = "light"):
    page = open_page(color_scheme)
    sign_in(page, member.email, TEST_PASSWORD)
    return page


def check_page(page, name: str) -> None:
    """No serious or critical axe findings in light and dark; a screenshot of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = serious_violations(page)
        assert not problems, f"{name} ({scheme}): {problems}"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")
