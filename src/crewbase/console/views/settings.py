"""Personal settings (SELF-1): own name, theme, time zone; links to password and sessions.

Every signed-in member may use this page; what it changes is their own (LIFE-5).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from crewbase.accounts.settings_actions import (
    THEMES,
    time_zones,
    update_own_profile,
    update_preferences,
)
from crewbase.console.errors import add_to_form
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError

THEME_LABELS = {"light": "Light", "dark": "Dark", "system": "Same as my device"}


class NameForm(forms.Form):
    first_name = forms.CharField(label="First name", required=False, max_length=1000)
    last_name = forms.CharField(label="Last name", required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class PreferencesForm(forms.Form):
    theme = forms.CharField(
        label="Theme",
        required=False,
        widget=forms.RadioSelect(choices=[(t, THEME_LABELS[t]) for t in THEMES]),
    )
    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        help_text="Dates in the console are shown in this time zone.",
        widget=forms.Select(choices=[]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = [(z, z) for z in sorted(time_zones())]


def _preferences_initial(request) -> dict:
    preferences = request.user.preferences or {}
    return {
        "theme": preferences.get("theme", "system"),
        "time_zone": preferences.get("time_zone", request.actor.account.time_zone),
    }


def _render(request, *, name_form=None, preferences_form=None, status=200):
    member = request.member
    context = {
        "member": member,
        "name_form": name_form
        or NameForm(initial={"first_name": member.first_name, "last_name": member.last_name}),
        "preferences_form": preferences_form
        or PreferencesForm(initial=_preferences_initial(request)),
    }
    return render(request, "console/settings/page.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page()
def personal_settings(request):
    if request.method != "POST":
        return _render(request)
    if request.POST.get("form") == "preferences":
        return _save_preferences(request)
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
    messages.success(request, "Your name is saved.")
    return redirect("settings")


def _save_preferences(request):
    form = PreferencesForm(request.POST)
    form.is_valid()
    changes = {
        "theme": request.POST.get("theme", ""),
        "time_zone": request.POST.get("time_zone", ""),
    }
    try:
        update_preferences(actor=request.actor, changes=changes)
    except DomainError as error:
        add_to_form(form, error)
        return _render(request, preferences_form=form, status=error.status)
    messages.success(request, "Your preferences are saved.")
    return redirect("settings")
