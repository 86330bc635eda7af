"""Operational pages: /healthz for load balancers and monitors, /dev/mailbox/ for development."""

import ipaddress

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from crewbase.core import mailbox
from crewbase.core.delivery import outbox_backlog
from crewbase.core.mail import dev_mailbox_enabled
from crewbase.core.request_info import client_ip
from crewbase.core.worker import worker_health


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body = {"database": "ok", "worker": worker_health(), **outbox_backlog()}
        return JsonResponse(body)
    except DatabaseError:
        body = {
            "database": "error",
            "worker": "unknown",
            "outbox_pending": None,
            "oldest_pending_seconds": None,
        }
        return JsonResponse(body, status=503)


def _require_mailbox(request) -> None:
    # With a real SMTP server configured, mail is not kept here and the page does not exist.
    if not dev_mailbox_enabled():
        raise Http404("The development mailbox is only available when SMTP_URL is not set.")
    # It holds reset and invitation links: only someone on the server's own machine reads it.
    address = client_ip(request)
    if address is None or not ipaddress.ip_address(address).is_loopback:
        raise Http404("The development mailbox is only readable from the server's own machine.")


@never_cache
@require_safe
def mailbox_list(request):
    _require_mailbox(request)
    return render(request, "dev/mailbox_list.html", {"messages_in_box": mailbox.list_messages()})


@never_cache
@require_safe
def mailbox_message(request, name: str):
    _require_mailbox(request)
    message = mailbox.get_message(name)
    if message is None:
        raise Http404("No such message in the development mailbox.")
    return render(request, "dev/mailbox_message.html", {"message": message})
