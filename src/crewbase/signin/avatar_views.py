"""Serving profile pictures to people who share an account with their owner."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from crewbase.people.models import Member, MemberStatus, Person

NAME = re.compile(r"^(\d{1,18})-([0-9a-f]{16})\.webp$")


@require_safe
def avatar(request, name: str):
    match = NAME.match(name)
    member = getattr(request, "member", None)
    if match is None or not member:
        raise Http404("No such picture.")
    person_id = int(match.group(1))
    stored = f"avatars/{name}"
    visible = Person.objects.filter(pk=person_id, avatar=stored).exists() and (
        person_id == member.person_id
        or Member.objects.filter(person_id=person_id, account_id=member.account_id)
        .exclude(status=MemberStatus.INVITED)
        .exists()
    )
    if not visible or not default_storage.exists(stored):
        raise Http404("No such picture.")
    response = FileResponse(default_storage.open(stored, "rb"), content_type="image/webp")
    # The name changes with the picture, so it can be kept as long as the browser likes.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
