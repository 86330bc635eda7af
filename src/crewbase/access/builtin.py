"""Seeding the built-in roles: used by the data migration and after a test flushes the tables."""

from crewbase.access.permissions import BUILTIN_ROLES


def seed_builtin_roles(role_model) -> None:
    for key, spec in BUILTIN_ROLES.items():
        role_model.objects.update_or_create(
            account=None,
            builtin_key=key,
            defaults={"name": spec["name"], "permissions": spec["permissions"]},
        )
