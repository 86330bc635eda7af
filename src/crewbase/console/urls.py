from django.urls import path

from crewbase.console.views import (
    activity,
    billing,
    home,
    invitations,
    invite,
    member_actions,
    members,
    roles,
    security,
    settings,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("invitations/<str:token>/", invitations.accept, name="accept_invitation"),
    path("members/", members.members, name="members"),
    path("members/view/", members.choose_view, name="members_view"),
    path("members/invite/", invite.invite, name="invite"),
    path("members/<str:member_id>/", members.profile, name="member"),
    path("members/<str:member_id>/edit/", member_actions.edit, name="member_edit"),
    path("members/<str:member_id>/role/", member_actions.role, name="member_role"),
    path(
        "members/<str:member_id>/agent-access/",
        member_actions.agent_access,
        name="member_agent_access",
    ),
    path("members/<str:member_id>/resend/", member_actions.resend, name="member_resend"),
    path(
        "members/<str:member_id>/cancel-invitation/",
        member_actions.cancel_invite,
        name="member_cancel_invite",
    ),
    path(
        "members/<str:member_id>/reset-password/",
        member_actions.reset_password,
        name="member_reset_password",
    ),
    path("members/<str:member_id>/sign-out/", member_actions.sign_out, name="member_sign_out"),
    path(
        "members/<str:member_id>/deactivate/",
        member_actions.deactivate,
        name="member_deactivate",
    ),
    path(
        "members/<str:member_id>/reactivate/",
        member_actions.reactivate,
        name="member_reactivate",
    ),
    path("members/<str:member_id>/delete/", member_actions.delete, name="member_delete"),
    path("members/<str:member_id>/offboard/", member_actions.offboard, name="member_offboard"),
    # Admin console part 2 (roles, activity, billing, security, personal settings).
    path("roles/", roles.role_list, name="roles"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/<int:role_id>/", roles.role_detail, name="role_detail"),
    path("roles/<int:role_id>/delete/", roles.role_delete, name="role_delete"),
    path("activity/", activity.activity_log, name="activity"),
    path("activity/export/", activity.activity_export, name="activity_export"),
    path("billing/", billing.billing, name="billing"),
    path("billing/<str:what>/", billing.billing_change, name="billing_change"),
    path("security/", security.security, name="security"),
    path("security/tokens/<int:token_id>/revoke/", security.revoke_token, name="token_revoke"),
    path("settings/", settings.personal_settings, name="settings"),
]
