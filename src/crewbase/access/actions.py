"""Custom roles: create, clone, edit, delete (ROLE-1, ROLE-2, ROLE-3)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.access.permissions import ALL_PERMISSIONS
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, PermissionDenied, ValidationFailed
from crewbase.webhooks.events import emit_role_change


def _clean(actor: Actor, *, name, permissions, description, role: Role | None) -> dict:
    errors = {}
    cleaned = {}
    if name is not None:
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
            errors["name"] = _("enter a name of 1 to 80 characters")
        else:
            clash = Role.objects.for_account(actor.account).filter(name__iexact=name.strip())
            if role is not None:
                clash = clash.exclude(pk=role.pk)
            if clash.exists():
                errors["name"] = _("a role named '%(name)s' already exists in this account") % {
                    "name": name.strip()
                }
            cleaned["name"] = name.strip()
    if permissions is not None:
        if not isinstance(permissions, list | tuple | set) or not all(
            isinstance(p, str) for p in permissions
        ):
            errors["permissions"] = _("must be a list of permission keys")
        else:
            unknown = sorted(set(permissions) - ALL_PERMISSIONS)
            if unknown:
                errors["permissions"] = _("unknown permissions: %(keys)s") % {
                    "keys": ", ".join(unknown)
                }
            cleaned["permissions"] = sorted(set(permissions))
    if description is not None:
        if not isinstance(description, str) or len(description) > 300:
            errors["description"] = _("must be text of at most 300 characters")
        else:
            cleaned["description"] = description.strip()
    if errors:
        raise ValidationFailed(errors)
    if "permissions" in cleaned:
        missing = policy.missing_for_grant(actor, cleaned["permissions"])
        if missing:
            raise PermissionDenied(
                _("You cannot grant permissions you do not hold: %(keys)s.")
                % {"keys": ", ".join(missing)},
                errors={
                    "permissions": _("you do not hold: %(keys)s") % {"keys": ", ".join(missing)}
                },
            )
    return cleaned


def create_role(
    *, actor: Actor, name: str, permissions: list[str], description: str = "", clone_of=None
) -> Role:
    """A new custom role; with `clone_of`, permissions default to that role's."""
    policy.require(actor, "roles.manage")
    if clone_of is not None and permissions is None:
        source = Role.objects.for_account(actor.account).filter(pk=clone_of).first()
        if source is None:
            raise ValidationFailed({"clone_of": _("no such role in this account")})
        permissions = list(source.permissions)
    cleaned = _clean(
        actor, name=name, permissions=permissions or [], description=description, role=None
    )
    with transaction.atomic():
        role = Role.objects.create(account=actor.account, **cleaned)
        record(actor, "role.created", role, after=cleaned)
        emit_role_change(actor, "created", role)
        return role


def _editable(actor: Actor, role: Role) -> None:
    policy.require(actor, "roles.manage", target=role)
    if role.is_builtin:
        raise Conflict(
            _("The built-in role '%(name)s' cannot be changed or deleted.") % {"name": role.name}
        )


def update_role(*, actor: Actor, role: Role, name=None, permissions=None, description=None) -> Role:
    _editable(actor, role)
    cleaned = _clean(actor, name=name, permissions=permissions, description=description, role=role)
    with transaction.atomic():
        role = Role.objects.select_for_update().get(pk=role.pk)
        before = {key: getattr(role, key) for key in cleaned}
        if before == cleaned:
            return role
        for key, value in cleaned.items():
            setattr(role, key, value)
        role.save()
        if "permissions" in cleaned:
            # Members holding the role get new permissions on their next request; bump versions
            # so any cached permission set is dropped too.
            from django.db.models import F

            role.members.update(access_version=F("access_version") + 1)
        record(actor, "role.updated", role, before=before, after=cleaned)
        emit_role_change(actor, "updated", role, before=before)
        return role


def delete_role(*, actor: Actor, role: Role) -> None:
    _editable(actor, role)
    with transaction.atomic():
        role = Role.objects.select_for_update().get(pk=role.pk)
        in_use = role.members.count()
        if in_use:
            raise Conflict(
                _(
                    "The role '%(name)s' is held by %(count)s member(s); give them another role first."  # noqa: E501
                )
                % {"name": role.name, "count": in_use},
                errors={"role": _("held by %(count)s member(s)") % {"count": in_use}},
            )
        record(
            actor, "role.deleted", role, before={"name": role.name, "permissions": role.permissions}
        )
        emit_role_change(actor, "deleted", role)
        role.delete()
