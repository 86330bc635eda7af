"""Mounted at /api/v1/ by config/urls.py. Every answer below it is JSON, even for wrong paths
and methods."""

from functools import wraps

from django.urls import path, re_path
from django.utils.translation import gettext as _

from crewbase.api.app import api
from crewbase.api.errors import error_body


def unknown_endpoint(request, rest=""):
    return error_body(404, _("No API endpoint at %(path)s.") % {"path": request.path})


def _json_method_not_allowed(view):
    # ninja answers a wrong method with Django's empty 405; callers get our error shape.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            replacement = error_body(
                405,
                _("%(method)s is not allowed here; use %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
                {"method": _("must be one of: %(choices)s") % {"choices": allowed}},
            )
            replacement["Allow"] = allowed
            return replacement
        return response

    return wrapper


def _api_patterns():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", _api_patterns()),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
