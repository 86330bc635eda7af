"""A person sets or removes their own profile picture (SELF-1, LIFE-5)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.people import avatars
from crewbase.people.models import Person


def _own_person(actor: Actor) -> Person:
    if actor.member is None or actor.kind not in ("member", "api_token"):
        raise PermissionDenied(gettext("Only a signed-in member can change their own picture."))
    return Person.objects.select_for_update().get(pk=actor.member.person_id)


def _delete_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def set_own_avatar(*, actor: Actor, upload) -> Person:
    """`upload`: an UploadedFile (or any object with .size and .read()). Refused uploads
    change nothing; the picture kept is the re-encoded one, never the upload."""
    size = getattr(upload, "size", None)
    if size is not None and size > avatars.MAX_BYTES:
        raise ValidationFailed({"avatar": gettext("is larger than 5 MB")})
    try:
        content = avatars.process(upload.read(avatars.MAX_BYTES + 1))
    except avatars.AvatarRejected as rejected:
        raise ValidationFailed({"avatar": str(rejected)}) from None
    with transaction.atomic():
        person = _own_person(actor)
        name = avatars.file_name(person.pk, content)
        stored = (
            name
            if default_storage.exists(name)
            else default_storage.save(name, ContentFile(content))
        )
        try:
            old = person.avatar
            person.avatar = stored
            person.save(update_fields=["avatar"])
            record(actor, "member.avatar_changed", actor.member, after={"avatar": "set"})
        except BaseException:
            default_storage.delete(stored)
            raise
        if old and old != stored:
            _delete_later(old)
        return person


def remove_own_avatar(*, actor: Actor) -> Person:
    with transaction.atomic():
        person = _own_person(actor)
        if not person.avatar:
            return person
        old, person.avatar = person.avatar, ""
        person.save(update_fields=["avatar"])
        record(actor, "member.avatar_changed", actor.member, after={"avatar": "removed"})
        _delete_later(old)
        return person
