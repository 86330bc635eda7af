"""Placeholder while being written."""
from django.http import HttpResponseNotFound


def personal_settings(request):
    return HttpResponseNotFound()
