"""/bulk-actions (LIST-3) and /bulk-invites (INV-7): preview, run, poll, report; upload, send."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import StreamingHttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt, StrictStr

from crewbase.api.schemas import Error, Id, Input, Text
from crewbase.bulk import actions, import_actions, selectors
from crewbase.bulk.kinds import KINDS
from crewbase.bulk.models import BulkJob

router = Router(tags=["bulk"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 413, 422)}

Value = StrictInt | StrictStr | StrictBool | None


class BulkActionIn(Input):
    action: Text(40) = Field(description=f"One of: {', '.join(KINDS)}")
    params: dict[Text(40), Value] = Field(
        default_factory=dict,
        max_length=10,
        description="change_role: role (id); add_to_team/remove_from_team: team (id); "
        "add_skill: skill (id), level; deactivate: reason",
    )
    member_ids: Annotated[list[Id], Field(max_length=10_000)] | None = Field(
        None, description="The selected members; or give `filter`"
    )
    filter: dict[Text(40), Value] | None = Field(
        None,
        max_length=30,
        description="Every member matching these GET /members filters (q, role, status, …)",
    )


class PreviewRowOut(Schema):
    member_id: int
    email: str
    name: str
    outcome: str = Field(description="change, unchanged or skip")
    message: str


class PreviewOut(Schema):
    action: str
    description: str
    total: int
    counts: dict[str, int]
    rows: list[PreviewRowOut] = Field(description="The first 500 members")


class JobRowOut(Schema):
    id: int
    member_id: int | None
    email: str
    outcome: str
    message: str
    done_at: datetime | None


class JobOut(Schema):
    id: int
    action: str
    status: str = Field(description="pending, running or done")
    total: int
    done: int
    changed: int
    unchanged: int
    skipped: int
    failed: int
    percent: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    report_url: str
    rows: list[JobRowOut]


class RowPaging(Schema):
    outcome: str | None = Field(None, max_length=20, description="pending, changed, …")
    after: str | None = Field(None, max_length=20, description="Rows after this row id")
    limit: int = Field(100, ge=0, le=1000)


def _job_out(job: BulkJob, paging: RowPaging | None = None) -> dict:
    paging = paging or RowPaging()
    return {
        "id": job.pk,
        "action": job.kind,
        "status": job.status,
        "total": job.total,
        "done": job.done_count,
        "changed": job.changed,
        "unchanged": job.unchanged,
        "skipped": job.skipped,
        "failed": job.failed,
        "percent": job.percent,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "report_url": f"/api/v1/bulk-actions/{job.pk}/report.csv",
        "rows": list(
            selectors.job_rows(job, outcome=paging.outcome, after=paging.after, limit=paging.limit)
        ),
    }


@router.post(
    "/bulk-actions/preview",
    response={200: PreviewOut, **ERRORS},
    summary="What a bulk action would do to each member; changes nothing",
)
def preview(request, payload: BulkActionIn):
    return actions.preview_bulk_action(actor=request.auth, **payload.dict())


@router.post(
    "/bulk-actions",
    response={201: JobOut, 202: JobOut, **ERRORS},
    summary="Run a bulk action: 201 when finished at once, 202 when the worker runs it",
)
def start(request, payload: BulkActionIn):
    job = actions.start_bulk_action(actor=request.auth, **payload.dict())
    return Status(201 if job.status == "done" else 202, _job_out(job))


@router.get("/bulk-actions/{int:job_id}", response={200: JobOut, **ERRORS})
def get_job(request, job_id: int, paging: Query[RowPaging]):
    return _job_out(selectors.get_job(request.auth, job_id), paging)


@router.get(
    "/bulk-actions/{int:job_id}/report.csv",
    response={200: None, **ERRORS},
    summary="Every row's result as CSV",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def report(request, job_id: int):
    job = selectors.get_job(request.auth, job_id)
    response = StreamingHttpResponse(
        selectors.report_lines(job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bulk-action-{job.pk}.csv"'
    return response


# --- CSV invitations --------------------------------------------------------------------


class CellErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportRowOut(Schema):
    row: int
    email: str
    first_name: str
    last_name: str
    role: str
    agent_access: bool
    status: str = Field(description="ready, skip or error")
    note: str
    errors: list[CellErrorOut]


class ImportOut(Schema):
    id: int
    filename: str
    status: str = Field(description="reviewed, queued, sent or failed")
    failure: str = Field(description="Why a queued file was not sent after all")
    rows: int
    ready: int
    skip: int
    error: int
    limits: list[str] = Field(description="Whole-file problems: user limit, agent seats")
    errors: list[CellErrorOut]
    items: list[ImportRowOut]


class SendIn(Input):
    rows: Annotated[list[StrictInt], Field(max_length=10_000)] | None = Field(
        None, description="Row numbers to send (header = row 1); default: every row without errors"
    )


class SendOut(Schema):
    id: int
    status: str = Field(description="sent, or queued: a big file is sent by the worker")
    invited: int
    skipped: int


def _import_out(upload, review) -> dict:
    return {
        "id": upload.pk,
        "filename": upload.filename,
        "status": upload.status,
        "failure": upload.failure,
        "rows": len(review.rows),
        "ready": review.count("ready"),
        "skip": review.count("skip"),
        "error": review.count("error"),
        "limits": review.limits,
        "errors": [{"row": r, "column": c, "reason": why} for r, c, why in review.errors()],
        "items": [
            {
                "row": row.row,
                "email": row.email,
                "first_name": row.first_name,
                "last_name": row.last_name,
                "role": row.role_name,
                "agent_access": row.agent_access,
                "status": row.status,
                "note": row.note,
                "errors": [{"row": row.row, "column": c, "reason": why} for c, why in row.errors],
            }
            for row in review.rows
        ],
    }


@router.post(
    "/bulk-invites",
    response={201: ImportOut, **ERRORS},
    summary="Upload an invitation CSV and review every row; nothing is sent",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
            "description": "Columns: email, first name, last name, role, teams, agent access, "
            "divisions, phone. UTF-8, `,` or `;`, at most 10,000 rows and 5 MB.",
        }
    },
)
def upload_invites(request):
    upload, review = import_actions.review_uploaded_file(
        actor=request.auth, uploaded=request.FILES.get("file")
    )
    return Status(201, _import_out(upload, review))


@router.get("/bulk-invites/{int:import_id}", response={200: ImportOut, **ERRORS})
def get_import(request, import_id: int):
    upload = import_actions.get_csv_import(request.auth, import_id)
    return _import_out(upload, import_actions.review_of(request.auth, upload))


@router.post(
    "/bulk-invites/{int:import_id}/send",
    response={200: SendOut, **ERRORS},
    summary="Invite the confirmed rows: all of them or none",
)
def send_import(request, import_id: int, payload: SendIn):
    upload = import_actions.get_csv_import(request.auth, import_id)
    result = import_actions.send_csv_import(actor=request.auth, upload=upload, rows=payload.rows)
    return {
        "id": upload.pk,
        "status": result.upload.status,
        "invited": len(result.invited),
        "skipped": len(result.skipped),
    }
