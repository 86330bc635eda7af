"""Console pages of the organisation: /teams/, /divisions/, /queues/, /skills/ and the
organisation forms of a member's profile (/org/members/<id>/…)."""

from django.urls import path

from crewbase.console.views import org_groups, org_member, org_skills


def _group_patterns(kind, views: dict, *, with_membership: bool) -> list:
    prefix, key = kind.plural, kind.key
    patterns = [
        path(f"{prefix}/", views["list"], name=f"org_{prefix}"),
        path(f"{prefix}/<int:group_id>/", views["detail"], name=f"org_{key}"),
        path(f"{prefix}/<int:group_id>/delete/", views["delete"], name=f"org_{key}_delete"),
    ]
    if with_membership:
        patterns += [
            path(f"{prefix}/<int:group_id>/members/", views["add"], name=f"org_{key}_add"),
            path(
                f"{prefix}/<int:group_id>/members/remove/",
                views["remove"],
                name=f"org_{key}_remove",
            ),
        ]
    return patterns


urlpatterns = [
    *_group_patterns(org_groups.TEAM, org_groups.TEAM_VIEWS, with_membership=True),
    *_group_patterns(org_groups.DIVISION, org_groups.DIVISION_VIEWS, with_membership=True),
    # A queue's agents are set as a whole from the queue page (ORG-3).
    *_group_patterns(org_groups.QUEUE, org_groups.QUEUE_VIEWS, with_membership=False),
    path("queues/<int:group_id>/agents/", org_groups.queue_members, name="org_queue_agents"),
    path(
        "divisions/<int:group_id>/chat-access/",
        org_groups.division_chat_access,
        name="org_division_chat_access",
    ),
    path("skills/", org_skills.skill_list, name="org_skills"),
    path("skills/<int:skill_id>/", org_skills.skill_detail, name="org_skill"),
    path("skills/<int:skill_id>/assign/", org_skills.skill_assign, name="org_skill_assign"),
    path("skills/<int:skill_id>/remove/", org_skills.skill_unassign, name="org_skill_unassign"),
    path("skills/<int:skill_id>/delete/", org_skills.skill_delete, name="org_skill_delete"),
    path("org/members/<int:member_id>/teams/", org_member.member_teams, name="org_member_teams"),
    path(
        "org/members/<int:member_id>/divisions/",
        org_member.member_divisions,
        name="org_member_divisions",
    ),
    path(
        "org/members/<int:member_id>/chat-access/",
        org_member.member_chat_access,
        name="org_member_chat_access",
    ),
    path("org/members/<int:member_id>/skills/", org_member.member_skills, name="org_member_skills"),
]
