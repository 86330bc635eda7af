"""The SCIM resources Crewbase serves (RFC 7643), described with scim2-models.

The User and Group schemas keep the standard URNs but publish only the attributes Crewbase
really stores and gives back unchanged: a SCIM client (and the compliance checker) reads
/Schemas and never writes an attribute the service would silently drop.
"""

from typing import Annotated, Any, ClassVar

from pydantic import Field
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    ETag,
    ExtensibleStringEnum,
    Filter,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
MAX_PAGE_SIZE = 200

# Entra ID and Okta depart from the RFC in known ways; these settings accept them:
# attributes we do not store are dropped (not refused), `remove` with a value selects what
# to remove, and a PATCH path filter that matches nothing creates the entry it describes.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


class Name(ComplexAttribute):
    formatted: str | None = None
    family_name: str | None = None
    given_name: str | None = None


class Email(ComplexAttribute):
    class Type(ExtensibleStringEnum):
        work = "work"
        home = "home"
        other = "other"

    # Required inside an entry: an email entry without an address means nothing here.
    value: Annotated[str | None, Required.true] = None
    type: Type | None = None
    primary: bool | None = None


class PhoneNumber(ComplexAttribute):
    class Type(ExtensibleStringEnum):
        work = "work"
        home = "home"
        mobile = "mobile"
        other = "other"

    value: Annotated[str | None, Required.true] = None
    type: Type | None = None
    primary: bool | None = None


class GroupMembership(ComplexAttribute):
    value: Annotated[str | None, Mutability.read_only, CaseExact.true] = None
    ref: Annotated[
        Reference["Group"] | None,  # noqa: F821 (a resource type name, not a class)
        Mutability.read_only,
    ] = Field(None, serialization_alias="$ref", validation_alias="$ref")
    display: Annotated[str | None, Mutability.read_only] = None


class CrewbaseUser(Resource[Any]):
    """A member of the account. `emails` and `active` are required: a member has an email
    (it becomes the sign-in address) and a status."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Name | None = None
    display_name: str | None = None
    emails: Annotated[list[Email] | None, Required.true] = None
    phone_numbers: list[PhoneNumber] | None = None
    active: Annotated[bool | None, Required.true] = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None

    Emails: ClassVar[type[ComplexAttribute]] = Email
    PhoneNumbers: ClassVar[type[ComplexAttribute]] = PhoneNumber
    Groups: ClassVar[type[ComplexAttribute]] = GroupMembership


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true, Required.true] = None
    ref: Annotated[
        Reference["User"] | None,  # noqa: F821 (a resource type name, not a class)
        Mutability.immutable,
    ] = Field(None, serialization_alias="$ref", validation_alias="$ref")
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])


class CrewbaseGroup(Resource[Any]):
    """A team of the account: its name is the group's displayName (SSO-5)."""

    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    members: list[GroupMember] | None = None

    Members: ClassVar[type[ComplexAttribute]] = GroupMember


def _named(schema, name: str, description: str):
    schema.name = name
    schema.description = description
    return schema


USER_SCHEMA_DOC = _named(CrewbaseUser.to_schema(), "User", "A member of the Crewbase account")
GROUP_SCHEMA_DOC = _named(CrewbaseGroup.to_schema(), "Group", "A team of the Crewbase account")

RESOURCE_TYPES = {
    "User": ResourceType(
        id="User",
        name="User",
        description="Members of the account",
        endpoint="/Users",
        schema_=URN(USER_SCHEMA),
    ),
    "Group": ResourceType(
        id="Group",
        name="Group",
        description="Teams of the account",
        endpoint="/Groups",
        schema_=URN(GROUP_SCHEMA),
    ),
}

SERVICE_PROVIDER_CONFIG = ServiceProviderConfig(
    documentation_uri="https://github.com/crewbase/crewbase/blob/main/docs/scim.md",
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_PAGE_SIZE),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    authentication_schemes=[
        AuthenticationScheme(
            type="oauthbearertoken",
            name="Bearer token",
            description="The account's SCIM token: Authorization: Bearer <token>",
            primary=True,
        )
    ],
)
