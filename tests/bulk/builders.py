"""Many members at once, in batches: arranging a scene, not testing how members are made."""

from crewbase.people.models import Member, MemberStatus, Person
from tests.conftest import builtin_role

BATCH = 5000


def many_agents(account, count: int) -> list[int]:
    """`count` active agents of `account`; returns their ids."""
    agent = builtin_role("agent")
    ids: list[int] = []
    for start in range(0, count, BATCH):
        people = Person.objects.bulk_create(
            [
                Person(email=f"bulk{account.pk}-{i}@example.com", password="!")
                for i in range(start, min(start + BATCH, count))
            ]
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    account=account,
                    person=person,
                    email=person.email,
                    role=agent,
                    status=MemberStatus.ACTIVE,
                    display_name=person.email,
                )
                for person in people
            ]
        )
        ids += [member.pk for member in members]
    return ids
