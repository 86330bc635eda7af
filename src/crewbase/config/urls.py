from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("crewbase.api.urls")),
    path("scim/v2/", include("crewbase.identity.scim.urls")),
    path("", include("crewbase.core.urls")),
    path("", include("crewbase.bulk.urls")),
    path("", include("crewbase.mfa.urls")),
    path("", include("crewbase.signin.urls")),
    path("", include("crewbase.identity.sso.urls")),
    path("", include("crewbase.identity.scim.console")),
    path("", include("crewbase.work.urls")),
    path("", include("crewbase.governance.urls")),
    path("", include("crewbase.org.urls")),
    path("", include("crewbase.console.urls")),
]
