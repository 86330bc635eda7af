"""Placeholder while being written."""
from django.http import HttpResponseNotFound


def security(request):
    return HttpResponseNotFound()


def revoke_token(request, token_id):
    return HttpResponseNotFound()
