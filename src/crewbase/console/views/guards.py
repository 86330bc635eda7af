"""Decorators every console page uses: signed in as a current member, and allowed (ROLE-4).

The permission is checked with policy.can on every request, from the member row loaded fresh
by the middleware, so a role change applies on the member's very next page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.views.decorators.cache import never_cache

from crewbase.access import policy
from crewbase.console.errors import refusal_page
from crewbase.core.errors import NotFound, PermissionDenied


def console_page(permission: str | None = None):
    def decorate(view):
        @never_cache
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.member:
                return redirect_to_login(request.get_full_path())
            try:
                if permission is not None:
                    policy.require(request.actor, permission)
                return view(request, *args, **kwargs)
            except (PermissionDenied, NotFound) as error:
                return refusal_page(request, error)

        return guarded

    return decorate
