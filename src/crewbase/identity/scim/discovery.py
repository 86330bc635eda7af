"""/ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4): what this service is."""

from __future__ import annotations

from scim2_models import ResourceType, Schema, ServiceProviderConfig

from crewbase.identity.scim.protocol import (
    ScimProblem,
    authenticated,
    base_url,
    method_not_allowed,
    respond,
)
from crewbase.identity.scim.schema import (
    GROUP_SCHEMA_DOC,
    RESOURCE_TYPES,
    SERVICE_PROVIDER_CONFIG,
    USER_SCHEMA_DOC,
)
from crewbase.identity.scim.views import LIST_SCHEMA

# The three schemas every service publishes about its own discovery documents, then ours.
SCHEMAS = [
    USER_SCHEMA_DOC,
    GROUP_SCHEMA_DOC,
    ServiceProviderConfig.to_schema(),
    ResourceType.to_schema(),
    Schema.to_schema(),
]
SCHEMAS_BY_ID = {str(schema.id): schema for schema in SCHEMAS}


def _with_meta(document: dict, resource_type: str, location: str) -> dict:
    document["meta"] = {"resourceType": resource_type, "location": location}
    return document


def _listed(resources: list[dict]) -> dict:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def _schema(request, schema) -> dict:
    return _with_meta(schema.model_dump(), "Schema", f"{base_url(request)}/Schemas/{schema.id}")


def _resource_type(request, resource_type) -> dict:
    location = f"{base_url(request)}/ResourceTypes/{resource_type.id}"
    return _with_meta(resource_type.model_dump(), "ResourceType", location)


@authenticated
def service_provider_config(request, actor):
    if request.method != "GET":
        return method_not_allowed("GET")
    location = f"{base_url(request)}/ServiceProviderConfig"
    return respond(
        _with_meta(SERVICE_PROVIDER_CONFIG.model_dump(), "ServiceProviderConfig", location)
    )


@authenticated
def resource_types(request, actor, resource_id: str | None = None):
    if request.method != "GET":
        return method_not_allowed("GET")
    if resource_id is None:
        return respond(_listed([_resource_type(request, t) for t in RESOURCE_TYPES.values()]))
    if resource_id not in RESOURCE_TYPES:
        raise ScimProblem(404, f"No resource type {resource_id}.")
    return respond(_resource_type(request, RESOURCE_TYPES[resource_id]))


@authenticated
def schemas(request, actor, schema_id: str | None = None):
    if request.method != "GET":
        return method_not_allowed("GET")
    if schema_id is None:
        return respond(_listed([_schema(request, s) for s in SCHEMAS]))
    if schema_id not in SCHEMAS_BY_ID:
        raise ScimProblem(404, f"No schema {schema_id}.")
    return respond(_schema(request, SCHEMAS_BY_ID[schema_id]))


@authenticated
def not_found(request, actor, rest: str = ""):
    raise ScimProblem(404, f"There is no SCIM endpoint /{rest}.")
