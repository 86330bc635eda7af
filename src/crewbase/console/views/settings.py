"""Personal settings (SELF-1): own name, picture, theme, time zone, notifications, signature,
sessions and API tokens; links to the password page.

Every signed-in member may use this page; what it changes is their own (LIFE-5).
"""

from __future__ import annotations

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from crewbase.accounts.settings_actions import (
    THEMES,
    time_zones,
    update_own_profile,
    update_preferences,
)
from crewbase.api.selectors import api_tokens_visible_to
from crewbase.console.errors import add_to_form
from crewbase.console.views.guards import console_page
from crewbase.console.views.members import initials
from crewbase.core.errors import DomainError, ValidationFailed
from crewbase.signin import avatar_actions, sessions
from crewbase.signin.preference_actions import (
    NOTIFICATION_TOPICS,
    SIGNATURE_MAX,
    notification_choices,
    signature_of,
    update_notifications_and_signature,
)

THEME_LABELS = {
    "light": gettext_lazy("Light"),
    "dark": gettext_lazy("Dark"),
    "system": gettext_lazy("Same as my device"),
}


class NameForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), required=False, max_length=1000)
    last_name = forms.CharField(label=gettext_lazy("Last name"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class PreferencesForm(forms.Form):
    theme = forms.CharField(
        label=gettext_lazy("Theme"),
        required=False,
        widget=forms.RadioSelect(choices=[(t, THEME_LABELS[t]) for t in THEMES]),
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Dates in the console are shown in this time zone."),
        widget=forms.Select(choices=[]),
    )
    language = forms.CharField(
        label=gettext_lazy("Language"),
        required=False,
        widget=forms.Select(choices=[]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.choices = list(django_settings.LANGUAGES)
        self.fields["time_zone"].widget.choices = [(z, z) for z in sorted(time_zones())]


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=gettext_lazy("New picture"),
        required=False,
        help_text=gettext_lazy("PNG, JPEG, GIF or WebP, at most 5 MB. It is cropped to a square."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )


class NotificationsForm(forms.Form):
    signature = forms.CharField(
        label=gettext_lazy("Reply signature"),
        required=False,
        help_text=gettext_lazy("Added to the replies you send from the helpdesk."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SIGNATURE_MAX}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, _default) in NOTIFICATION_TOPICS.items():
            self.fields[f"notify_{key}"] = forms.BooleanField(label=label, required=False)


def _notifications_initial(person) -> dict:
    initial = {f"notify_{key}": on for key, on in notification_choices(person).items()}
    return {**initial, "signature": signature_of(person)}


def _preferences_initial(request) -> dict:
    preferences = request.user.preferences or {}
    return {
        "theme": preferences.get("theme", "system"),
        "time_zone": preferences.get("time_zone", request.actor.account.time_zone),
        "language": preferences.get("language", getattr(request, "LANGUAGE_CODE", "en")),
    }


def _render(request, *, status=200, **forms_given):
    member = request.member
    member.initials = initials(member)
    person = request.user
    context = {
        "member": member,
        "person": person,
        "name_form": forms_given.get("name_form")
        or NameForm(initial={"first_name": member.first_name, "last_name": member.last_name}),
        "preferences_form": forms_given.get("preferences_form")
        or PreferencesForm(initial=_preferences_initial(request)),
        "avatar_form": forms_given.get("avatar_form") or AvatarForm(),
        "notifications_form": forms_given.get("notifications_form")
        or NotificationsForm(initial=_notifications_initial(person)),
        "sessions": sessions.own_sessions(request.actor, current_key=request.session.session_key),
        "tokens": api_tokens_visible_to(request.actor).filter(member=member)[:100],
    }
    return render(request, "console/settings/page.html", context, status=status)


FORM_HANDLERS: dict = {}  # filled below: the hidden "form" field names the handler


@require_http_methods(["GET", "HEAD", "POST"])
@console_page()
def personal_settings(request):
    if request.method != "POST":
        return _render(request)
    handler = FORM_HANDLERS.get(request.POST.get("form", "name"), _save_name)
    return handler(request)


def _save_name(request):
    form = NameForm(request.POST)
    form.is_valid()  # only to read the fields; the action validates
    try:
        update_own_profile(
            actor=request.actor,
            first_name=form.cleaned_data.get("first_name", ""),
            last_name=form.cleaned_data.get("last_name", ""),
        )
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, name_form=form, status=error.status)
    messages.success(request, _("Your name is saved."))
    return redirect("settings")


def _save_preferences(request):
    form = PreferencesForm(request.POST)
    form.is_valid()
    changes = {
        "theme": request.POST.get("theme", ""),
        "time_zone": request.POST.get("time_zone", ""),
    }
    if "language" in request.POST:  # a form from before the field existed may lack it
        changes["language"] = request.POST.get("language", "")
    try:
        update_preferences(actor=request.actor, changes=changes)
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, preferences_form=form, status=error.status)
    messages.success(request, _("Your preferences are saved."))
    return redirect("settings")


def _save_avatar(request):
    form = AvatarForm(request.POST, request.FILES)
    upload = request.FILES.get("avatar")
    try:
        if upload is None:
            raise ValidationFailed({"avatar": _("choose a picture to upload")})
        avatar_actions.set_own_avatar(actor=request.actor, upload=upload)
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, avatar_form=form, status=error.status)
    messages.success(request, _("Your picture is saved."))
    return redirect("settings")


def _remove_avatar(request):
    avatar_actions.remove_own_avatar(actor=request.actor)
    messages.success(request, _("Your picture is removed."))
    return redirect("settings")


def _save_notifications(request):
    form = NotificationsForm(request.POST)
    form.is_valid()
    chosen = {key: f"notify_{key}" in request.POST for key in NOTIFICATION_TOPICS}
    try:
        update_notifications_and_signature(
            actor=request.actor,
            notifications=chosen,
            signature=request.POST.get("signature", ""),
        )
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, notifications_form=form, status=error.status)
    messages.success(request, _("Your notification settings and signature are saved."))
    return redirect("settings")


FORM_HANDLERS.update(
    {
        "name": _save_name,
        "preferences": _save_preferences,
        "avatar": _save_avatar,
        "avatar_remove": _remove_avatar,
        "notifications": _save_notifications,
    }
)
