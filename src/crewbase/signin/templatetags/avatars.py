"""{% avatar_url member %}: the member's picture URL or "", with one query per page.

On a list page the first call loads the pictures of every member in `page.items` at once;
the result is kept on the request, so the rows after it cost nothing.
"""

from django import template
from django.urls import reverse

from crewbase.people.models import Person

register = template.Library()


def _url(stored: str) -> str:
    return reverse("avatar", args=[stored.removeprefix("avatars/")]) if stored else ""


@register.simple_tag(takes_context=True)
def avatar_url(context, who) -> str:
    if who is None:
        return ""
    if isinstance(who, Person):
        return _url(who.avatar)
    person_id = getattr(who, "person_id", None)
    if person_id is None:
        return ""
    if "person" in who._state.fields_cache:
        return _url(who.person.avatar)
    request = context.get("request")
    known = getattr(request, "_avatar_urls", None) if request is not None else None
    if known is None or person_id not in known:
        page = context.get("page")
        ids = {m.person_id for m in getattr(page, "items", []) or []} | {person_id}
        found = dict(Person.objects.filter(pk__in=ids).values_list("pk", "avatar"))
        known = {**(known or {}), **{pk: _url(found.get(pk, "")) for pk in ids}}
        if request is not None:
            request._avatar_urls = known
    return known.get(person_id, "")
