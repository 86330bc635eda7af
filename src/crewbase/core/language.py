"""The console's language: the person's own choice (SELF-1), else the browser's."""

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import ngettext

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


def recipient_language(email: str) -> str:
    """The language of mail to `email`: the person's saved choice, else the one active now
    (the sender's), so a new invitee reads the invitation as the admin who sent it."""
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(email=email.strip().lower()).first()
    return language_of(person) or translation.get_language() or settings.LANGUAGE_CODE


def _duration_in_words(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


# Worded when shown, so text built before an email is rendered still reads in its language.
duration_in_words = lazy(_duration_in_words, str)
