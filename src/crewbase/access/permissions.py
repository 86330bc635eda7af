"""The permission catalogue (ROLE-2) and the built-in roles as data (ROLE-1)."""

from enum import StrEnum

from django.utils.translation import gettext_noop


class Perm(StrEnum):
    USERS_VIEW = "users.view"
    USERS_INVITE = "users.invite"
    USERS_MANAGE = "users.manage"
    ROLES_MANAGE = "roles.manage"
    TEAMS_MANAGE = "teams.manage"
    TICKETS_VIEW_ALL = "tickets.view_all"
    TICKETS_DELETE = "tickets.delete"
    DATA_EXPORT = "data.export"
    MACROS_MANAGE = "macros.manage"
    ANALYTICS_VIEW = "analytics.view"
    BROADCAST_SEND = "broadcast.send"
    LIVE_MONITOR = "live.monitor"
    BILLING_MANAGE = "billing.manage"
    SECURITY_MANAGE = "security.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_VIEW = "audit.view"
    API_TOKENS_MANAGE = "api_tokens.manage"
    WORK_EVENTS_WRITE = "work_events.write"


# English here (also matched by governance/explain.py); shown through gettext() by each page.
PERMISSION_LABELS: dict[str, str] = {
    Perm.USERS_VIEW: gettext_noop("See members and their profiles"),
    Perm.USERS_INVITE: gettext_noop("Invite people"),
    Perm.USERS_MANAGE: gettext_noop("Manage members (edit, roles, deactivate, delete)"),
    Perm.ROLES_MANAGE: gettext_noop("Create and edit roles"),
    Perm.TEAMS_MANAGE: gettext_noop("Manage teams, skills, queues and divisions"),
    Perm.TICKETS_VIEW_ALL: gettext_noop("View all tickets"),
    Perm.TICKETS_DELETE: gettext_noop("Delete tickets"),
    Perm.DATA_EXPORT: gettext_noop("Export data"),
    Perm.MACROS_MANAGE: gettext_noop("Manage macros and content"),
    Perm.ANALYTICS_VIEW: gettext_noop("View analytics"),
    Perm.BROADCAST_SEND: gettext_noop("Send broadcasts"),
    Perm.LIVE_MONITOR: gettext_noop("Monitor live conversations"),
    Perm.BILLING_MANAGE: gettext_noop("Manage plan and payment"),
    Perm.SECURITY_MANAGE: gettext_noop("Manage security (2FA, SSO, SCIM, domains)"),
    Perm.SETTINGS_MANAGE: gettext_noop("Manage account settings"),
    Perm.AUDIT_VIEW: gettext_noop("View the activity log"),
    Perm.API_TOKENS_MANAGE: gettext_noop("Create API tokens for the account"),
    Perm.WORK_EVENTS_WRITE: gettext_noop("Post work events from the host application"),
}

ALL_PERMISSIONS: frozenset[str] = frozenset(p.value for p in Perm)

# Owner-only actions are not permissions: they are checked on the owner flag (ROLE-5).
BUILTIN_ROLES: dict[str, dict] = {
    "admin": {"name": "Admin", "permissions": sorted(ALL_PERMISSIONS)},
    "supervisor": {
        "name": "Supervisor",
        "permissions": sorted(
            {
                Perm.USERS_VIEW,
                Perm.TICKETS_VIEW_ALL,
                Perm.LIVE_MONITOR,
                Perm.ANALYTICS_VIEW,
                Perm.DATA_EXPORT,
                Perm.AUDIT_VIEW,
            }
        ),
    },
    "editor": {
        "name": "Editor",
        "permissions": sorted({Perm.USERS_VIEW, Perm.MACROS_MANAGE}),
    },
    "agent": {"name": "Agent", "permissions": sorted({Perm.USERS_VIEW})},
    "read_only": {
        "name": "Read-only",
        "permissions": sorted({Perm.USERS_VIEW, Perm.TICKETS_VIEW_ALL, Perm.ANALYTICS_VIEW}),
    },
}
