"""The NinjaAPI behind /api/v1: its routers, authentication, parser and error handling."""

from ninja import NinjaAPI

from crewbase.api import errors
from crewbase.api.auth import API_AUTH
from crewbase.api.parser import StrictTextParser
from crewbase.api.routers import (
    account,
    activity,
    invitations,
    members,
    roles,
    session,
    tokens,
    webhooks,
)
from crewbase.api.routers import org as org_routes
from crewbase.bulk.api import router as bulk_router
from crewbase.governance.api import router as governance_router
from crewbase.identity.sso.api import router as sso_router
from crewbase.mfa.api import router as mfa_router
from crewbase.signin.api import router as signin_router
from crewbase.work.api import router as work_router

api = NinjaAPI(
    title="Crewbase API",
    version="1",
    description=(
        "Users, roles, invitations and activity of one Crewbase account. Authenticate with "
        "'Authorization: Bearer <API token>' or with the console's session (send X-CSRFToken "
        "on POST, PATCH and DELETE; GET /csrf returns it). Errors are "
        '{"error": code, "message": text, "errors": {field: reason}}.'
    ),
    auth=API_AUTH,
    parser=StrictTextParser(),
    urls_namespace="api-v1",
)
errors.install(api)

api.add_router("", session.router)
api.add_router("/members", members.router)
api.add_router("", activity.router)
api.add_router("/invitations", invitations.router)
api.add_router("", roles.router)
api.add_router("", account.router)
api.add_router("/api-tokens", tokens.router)
api.add_router("", org_routes.router)
api.add_router("/webhooks", webhooks.router)
api.add_router("", bulk_router)
api.add_router("", mfa_router)
api.add_router("", signin_router)
api.add_router("", sso_router)
api.add_router("", "crewbase.identity.scim.api.router")
api.add_router("", work_router)
api.add_router("", governance_router)
