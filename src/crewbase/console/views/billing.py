"""Placeholder while being written."""
from django.http import HttpResponseNotFound


def billing(request):
    return HttpResponseNotFound()


def billing_change(request, what):
    return HttpResponseNotFound()
