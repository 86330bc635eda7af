"""The console's language: the person's own choice (SELF-1), else the browser's."""

from django.conf import settings
from django.utils import translation

_KNOWN = {code for code, _ in settings.LANGUAGES}


def language_of(person) -> str | None:
    preferences = getattr(person, "preferences", None) or {}
    chosen = preferences.get("language")
    return chosen if chosen in _KNOWN else None


class PersonLanguageMiddleware:
    """Runs after LocaleMiddleware (Accept-Language) and overrides it with the saved choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = language_of(user) if user is not None and user.is_authenticated else None
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
