"""Console pages for bulk actions (LIST-3) and CSV invitations (INV-7).

Bulk flow: the members list posts its selection (ticked boxes, or "all that match" with the
list's filters) to the preview page (GET: nothing changes), which lists what would happen to
each member and asks for confirmation; running redirects to the job's page, which shows
progress (htmx polling, or a reload without JavaScript), per-row results and the report.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from crewbase.bulk import actions, import_actions, selectors
from crewbase.bulk.kinds import KINDS
from crewbase.bulk.models import JobStatus, RowOutcome
from crewbase.console.errors import sentence
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError, NotFound, PermissionDenied

PARAM_FIELDS = ("role", "team", "skill", "level", "reason")
FILTER_PREFIX = "f_"
SHOWN_ROWS = 200


def _selection(data) -> dict:
    """The selection as the actions take it, from the bar's fields (GET or POST)."""
    if data.get("scope") == "all":
        return {
            "filter": {
                key[len(FILTER_PREFIX) :]: value
                for key, value in data.items()
                if key.startswith(FILTER_PREFIX)
            }
        }
    return {"member_ids": data.getlist("member")}


def _request(data) -> dict:
    params = {name: data.get(name) for name in PARAM_FIELDS if data.get(name) not in (None, "")}
    return {"action": data.get("action"), "params": params, **_selection(data)}


def _hidden_fields(data) -> list[tuple[str, str]]:
    keep = ("action", "scope", "member", *PARAM_FIELDS)
    return [
        (key, value)
        for key in data
        if key in keep or key.startswith(FILTER_PREFIX)
        for value in data.getlist(key)
    ]


def _back_to_list(data) -> str:
    from urllib.parse import urlencode

    filters = [
        (key[len(FILTER_PREFIX) :], value)
        for key, value in data.items()
        if key.startswith(FILTER_PREFIX)
    ]
    return reverse("members") + (f"?{urlencode(filters)}" if filters else "")


@require_safe
@console_page("users.view")
def preview(request):
    context = {"back_url": _back_to_list(request.GET), "hidden": _hidden_fields(request.GET)}
    try:
        context["preview"] = actions.preview_bulk_action(
            actor=request.actor, row_limit=SHOWN_ROWS, **_request(request.GET)
        )
    except PermissionDenied:
        raise
    except DomainError as error:
        context["errors"] = {name: sentence(reason) for name, reason in error.errors.items()}
        context["message"] = sentence(error.message)
        return render(request, "bulk/preview.html", context, status=422)
    context["kind"] = KINDS[context["preview"].action]
    return render(request, "bulk/preview.html", context)


@require_POST
@console_page("users.view")
def run(request):
    try:
        job = actions.start_bulk_action(actor=request.actor, **_request(request.POST))
    except PermissionDenied:
        raise
    except DomainError as error:
        context = {
            "back_url": _back_to_list(request.POST),
            "errors": {name: sentence(reason) for name, reason in error.errors.items()},
            "message": sentence(error.message),
        }
        return render(request, "bulk/preview.html", context, status=422)
    return redirect("bulk_job", job_id=job.pk)


@require_safe
@console_page("users.view")
def job_page(request, job_id: int):
    job = selectors.get_job(request.actor, job_id)
    outcome = request.GET.get("outcome") or None
    if outcome not in (None, *RowOutcome.values):
        outcome = None
    context = {
        "job": job,
        "kind": KINDS[job.kind],
        "running": job.status != JobStatus.DONE,
        "outcome": outcome,
        "outcomes": [o for o in RowOutcome if o != RowOutcome.PENDING],
        "rows": list(selectors.job_rows(job, outcome=outcome, limit=SHOWN_ROWS)),
        "shown_rows": SHOWN_ROWS,
    }
    template = "bulk/_job_progress.html" if request.headers.get("HX-Request") else "bulk/job.html"
    return render(request, template, context)


@require_safe
@console_page("users.view")
def job_report(request, job_id: int):
    job = selectors.get_job(request.actor, job_id)
    response = StreamingHttpResponse(
        selectors.report_lines(job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bulk-action-{job.pk}.csv"'
    return response


@require_safe
@console_page("users.view")
def jobs(request):
    return render(request, "bulk/jobs.html", {"jobs": selectors.recent_jobs(request.actor)})


# --- CSV invitations --------------------------------------------------------------------


@console_page("users.invite")
def import_upload(request):
    errors = {}
    if request.method == "POST":
        try:
            upload, _ = import_actions.review_uploaded_file(
                actor=request.actor, uploaded=request.FILES.get("file")
            )
            return redirect("bulk_import_review", import_id=upload.pk)
        except PermissionDenied:
            raise
        except DomainError as error:
            errors = {name: sentence(reason) for name, reason in error.errors.items()}
            errors = errors or {"file": sentence(error.message)}
    status = 422 if errors else 200
    return render(request, "bulk/import_upload.html", {"errors": errors}, status=status)


def _review_context(request, upload) -> dict:
    review = import_actions.review_of(request.actor, upload)
    rows = review.rows
    return {
        "upload": upload,
        "review": review,
        "errors": review.errors(),
        "ready": review.count("ready"),
        "skip": review.count("skip"),
        "error_rows": review.count("error"),
        "rows": rows[:SHOWN_ROWS],
        "more_rows": max(len(rows) - SHOWN_ROWS, 0),
    }


@require_safe
@console_page("users.invite")
def import_review(request, import_id: int):
    upload = import_actions.get_csv_import(request.actor, import_id)
    return render(request, "bulk/import_review.html", _review_context(request, upload))


@require_POST
@console_page("users.invite")
def import_send(request, import_id: int):
    upload = import_actions.get_csv_import(request.actor, import_id)
    try:
        result = import_actions.send_csv_import(actor=request.actor, upload=upload)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        context = _review_context(request, upload)
        context["send_error"] = sentence(error.message)
        return render(request, "bulk/import_review.html", context, status=error.status)
    if result.upload.status == "queued":
        messages.success(
            request, gettext("Queued: the invitations are being sent in the background.")
        )
    else:
        messages.success(
            request,
            gettext("Sent %(invited)s invitations; %(skipped)s rows skipped.")
            % {"invited": len(result.invited), "skipped": len(result.skipped)},
        )
    return redirect("bulk_import_review", import_id=upload.pk)
