"""Showing domain errors in the console: on the form field they name, or as a plain page."""

from __future__ import annotations

from django.shortcuts import render

from crewbase.core.errors import DomainError, NotFound, PermissionDenied


def sentence(reason: str) -> str:
    """`must be true or false` -> `Must be true or false.`: errors read as sentences."""
    text = reason[:1].upper() + reason[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def add_to_form(form, error: DomainError, *, aliases: dict[str, str] | None = None) -> dict:
    """Put each of the error's field reasons on the matching form field.

    Returns the reasons that match no field (e.g. one per bad email address), so the page can
    show them next to what they concern; with none, the error's message goes on the form.
    """
    aliases = aliases or {}
    unplaced = {}
    for name, reason in error.errors.items():
        field = aliases.get(name, name)
        if field in form.fields:
            form.add_error(field, sentence(reason))
        else:
            unplaced[name] = reason
    if not error.errors:
        form.add_error(None, sentence(error.message))
    return unplaced


def refusal_page(request, error: DomainError):
    """403 / 404 as a plain page; another account's member is 'not found' (FAIL-4)."""
    if isinstance(error, NotFound):
        return render(request, "console/not_found.html", {"message": error.message}, status=404)
    status = 403 if isinstance(error, PermissionDenied) else error.status
    return render(request, "console/forbidden.html", {"message": error.message}, status=status)
