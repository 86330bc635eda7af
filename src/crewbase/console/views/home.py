"""The signed-in landing page; the console grows from here."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    # request.member is loaded fresh; None means signed out, or no active membership left
    # (the middleware has then ended the session).
    if not request.user.is_authenticated or request.member is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "console/home.html", {"member": request.member})
