"""Password rules per NIST SP 800-63B (AUTH-1): length, no composition rules, no common
passwords, nothing built from the person's own name or email."""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 128


class LengthValidator:
    def validate(self, password, user=None):
        if len(password) < MIN_LENGTH:
            raise ValidationError(
                _("Use at least %(count)s characters.") % {"count": MIN_LENGTH},
                code="password_too_short",
            )
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _("Use at most %(count)s characters.") % {"count": MAX_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Use %(low)s to %(high)s characters; spaces and any symbols are fine.") % {
            "low": MIN_LENGTH,
            "high": MAX_LENGTH,
        }


class CommonPasswordValidator(DjangoCommon):
    """Django's shipped list of 20,000 common and breached passwords."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("This password is too common; it appears in lists of breached passwords."),
                code="password_too_common",
            ) from None

    def get_help_text(self):
        return _("It must not be a commonly used password.")


def _personal_words(user) -> set[str]:
    words = set()
    for value in (
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        getattr(user, "email", "").split("@")[0],
    ):
        for part in re.split(r"[\W_]+", (value or "").lower()):
            if len(part) >= 3:
                words.add(part)
    return words


class PersonalInfoValidator:
    """Refuses a password that is little more than the person's names or email put together."""

    # What must remain once the personal words are taken out, for the rest to be a secret.
    MIN_OWN_LETTERS = 5

    def validate(self, password, user=None):
        if user is None:
            return
        remaining = re.sub(r"[\W_\d]+", "", password.lower())
        if not remaining:
            return
        words = _personal_words(user)
        found = False
        for word in sorted(words, key=len, reverse=True):
            if word in remaining:
                found = True
                remaining = remaining.replace(word, "")
        if found and len(remaining) < self.MIN_OWN_LETTERS:
            raise ValidationError(
                _("The password must not be built from your name or email address."),
                code="password_too_personal",
            )

    def get_help_text(self):
        return _("It must not be built from your name or email address.")
