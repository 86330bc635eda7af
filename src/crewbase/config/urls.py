from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("crewbase.api.urls")),
    path("", include("crewbase.core.urls")),
    path("", include("crewbase.console.urls")),
]
