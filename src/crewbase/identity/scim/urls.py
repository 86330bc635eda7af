"""Mounted at /scim/v2/ by config/urls.py."""

from django.urls import path, re_path

from crewbase.identity.scim import discovery, views

urlpatterns = [
    path("ServiceProviderConfig", discovery.service_provider_config),
    path("ResourceTypes", discovery.resource_types),
    path("ResourceTypes/<str:resource_id>", discovery.resource_types),
    path("Schemas", discovery.schemas),
    path("Schemas/<str:schema_id>", discovery.schemas),
    path("Users", views.users),
    path("Users/.search", views.users_search),
    path("Users/<str:resource_id>", views.user),
    path("Groups", views.groups),
    path("Groups/.search", views.groups_search),
    path("Groups/<str:resource_id>", views.group),
    path(".search", views.search_all),
    re_path(r"^(?P<rest>.*)$", discovery.not_found),
]
