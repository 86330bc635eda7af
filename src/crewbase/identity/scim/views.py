"""/scim/v2/Users and /scim/v2/Groups: list, search, create, read, replace, patch, delete."""

from __future__ import annotations

from django.db import transaction
from scim2_models import Context, PatchOp

from crewbase.identity.scim import filters
from crewbase.identity.scim.kinds import GROUPS, USERS, Kind
from crewbase.identity.scim.protocol import (
    ScimProblem,
    authenticated,
    base_url,
    check_if_match,
    method_not_allowed,
    read_json,
    respond,
)
from crewbase.identity.scim.schema import MAX_PAGE_SIZE, POLICY

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ALWAYS_RETURNED = {"id", "schemas"}


def _names(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise ScimProblem(400, "attributes must be a comma-separated list of names", "invalidValue")
    # A name may carry its schema URN: keep what follows the URN.
    return [n.strip().rsplit(":", 1)[-1].lower() for n in raw if n.strip()]


def project(resource: dict, attributes: list[str], excluded: list[str]) -> dict:
    """attributes / excludedAttributes (RFC 7644 §3.9), on top-level names and sub-names."""
    if attributes:
        wanted: dict[str, set[str] | None] = {}
        for name in attributes:
            top, _, sub = name.partition(".")
            if sub and wanted.get(top, set()) is not None:
                wanted.setdefault(top, set()).add(sub)
            else:
                wanted[top] = None
        kept = {}
        for key, value in resource.items():
            low = key.lower()
            if low in ALWAYS_RETURNED:
                kept[key] = value
            elif low in wanted:
                subs = wanted[low]
                kept[key] = value if subs is None else _sub(value, subs)
        return kept
    if excluded:
        dropped = {n for n in excluded if "." not in n} - ALWAYS_RETURNED
        return {k: v for k, v in resource.items() if k.lower() not in dropped}
    return resource


def _sub(value, subs: set[str]):
    if isinstance(value, list):
        return [_sub(item, subs) for item in value]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k.lower() in subs}
    return value


def _int_param(raw, name: str, default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ScimProblem(400, f"{name} must be a whole number", "invalidValue") from None


def _page_params(params: dict) -> tuple[int, int, list[str], list[str]]:
    start = max(_int_param(params.get("startIndex"), "startIndex", 1), 1)
    count = min(max(_int_param(params.get("count"), "count", MAX_PAGE_SIZE), 0), MAX_PAGE_SIZE)
    attributes = _names(params.get("attributes"))
    excluded = _names(params.get("excludedAttributes"))
    if attributes and excluded:
        raise ScimProblem(
            400, "attributes and excludedAttributes cannot be used together", "invalidValue"
        )
    return start, count, attributes, excluded


def _matching(actor, kind: Kind, text, *, lean: bool):
    queryset = kind.queryset(actor.account, lean=lean)
    if text in (None, ""):
        return queryset
    if not isinstance(text, str):
        raise ScimProblem(400, "filter must be a string", "invalidFilter")
    condition = kind.translator(actor.account).visit(filters.parse(text))
    # A filter through a to-many relation (members) can repeat rows: pick ids first.
    matching = queryset.model.objects.filter(account=actor.account).filter(condition)
    return queryset.filter(pk__in=matching.values("pk"))


def _list_response(total: int, start: int, resources: list[dict]):
    return respond(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


def list_resources(request, actor, kinds: list[Kind], params: dict):
    """GET /Users, POST /Users/.search, POST /.search: filter, paginate, project.

    Across several resource types (the root search) the pages run through Users, then
    Groups; an attribute one type lacks matches nothing there (RFC 7644 §3.4.2.1)."""
    start, count, attributes, excluded = _page_params(params)
    lean = "members" in excluded or (bool(attributes) and "members" not in attributes)
    querysets, problems = [], []
    for kind in kinds:
        try:
            querysets.append((kind, _matching(actor, kind, params.get("filter"), lean=lean)))
        except filters.InvalidFilter as exc:
            problems.append(exc)
    if not querysets:
        raise problems[0]
    base = base_url(request)
    total, offset, resources = 0, start - 1, []
    for kind, queryset in querysets:
        size = queryset.count()
        total += size
        wanted = count - len(resources)
        if wanted > 0 and offset < size:
            page = queryset.order_by("pk")[offset : offset + wanted]
            resources += [
                project(kind.render(o, base, lean=lean), attributes, excluded) for o in page
            ]
        offset = max(offset - size, 0)
    return _list_response(total, start, resources)


def _found(actor, kind: Kind, resource_id: str):
    obj = kind.get(actor.account, resource_id)
    if obj is None:
        raise ScimProblem(404, f"{kind.name} {resource_id} not found.")
    return obj


def _one(request, kind: Kind, obj, status: int = 200):
    resource = kind.render(obj, base_url(request))
    attributes = _names(request.GET.get("attributes"))
    excluded = _names(request.GET.get("excludedAttributes"))
    headers = {"ETag": resource["meta"]["version"]}
    if status == 201:
        headers["Location"] = resource["meta"]["location"]
    return respond(project(resource, attributes, excluded), status, headers=headers)


def _parse(kind: Kind, payload: dict, context):
    return kind.model.model_validate(payload, scim_ctx=context, scim_policy=POLICY)


def _strip_read_only(payload: dict) -> dict:
    # Okta and Entra echo id, meta and schemas inside path-less PATCH values; they are
    # read-only and carry nothing to change.
    for operation in payload.get("Operations") or payload.get("operations") or []:
        if isinstance(operation, dict) and isinstance(operation.get("value"), dict):
            for key in ("id", "meta", "schemas", "groups"):
                operation["value"].pop(key, None)
    return payload


def _patched(kind: Kind, current: dict, payload: dict):
    resource = kind.model.model_validate(current, scim_policy=POLICY)
    patch = PatchOp[kind.model].model_validate(
        _strip_read_only(payload), scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
    )
    patch.patch(resource, scim_policy=POLICY)
    return resource


def collection(kind: Kind):
    @authenticated
    def view(request, actor):
        if request.method == "GET":
            return list_resources(request, actor, [kind], request.GET.dict())
        if request.method == "POST":
            payload = kind.complete(read_json(request))
            parsed = _parse(kind, payload, Context.RESOURCE_CREATION_REQUEST)
            with transaction.atomic():
                obj = kind.create(actor, parsed)
            return _one(request, kind, kind.reload(actor.account, obj), status=201)
        return method_not_allowed("GET, POST")

    return view


def search(kind: Kind):
    @authenticated
    def view(request, actor):
        if request.method != "POST":
            return method_not_allowed("POST")
        return list_resources(request, actor, [kind], read_json(request))

    return view


def item(kind: Kind):
    @authenticated
    def view(request, actor, resource_id: str):
        obj = _found(actor, kind, resource_id)
        if request.method == "GET":
            return _one(request, kind, obj)
        if request.method not in ("PUT", "PATCH", "DELETE"):
            return method_not_allowed("GET, PUT, PATCH, DELETE")
        current = kind.render(obj, base_url(request))
        check_if_match(request, current)
        if request.method == "DELETE":
            with transaction.atomic():
                kind.delete(actor, obj)
            return respond(None, 204)
        payload = read_json(request)
        if request.method == "PUT":
            payload = kind.complete(payload, current)
            parsed = _parse(kind, payload, Context.RESOURCE_REPLACEMENT_REQUEST)
        else:
            parsed = _patched(kind, current, payload)
        with transaction.atomic():
            kind.replace(actor, obj, parsed)
        return _one(request, kind, kind.reload(actor.account, obj))

    return view


users = collection(USERS)
users_search = search(USERS)
user = item(USERS)
groups = collection(GROUPS)
groups_search = search(GROUPS)


@authenticated
def search_all(request, actor):
    if request.method != "POST":
        return method_not_allowed("POST")
    return list_resources(request, actor, [USERS, GROUPS], read_json(request))


group = item(GROUPS)
