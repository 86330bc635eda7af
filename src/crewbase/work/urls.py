from django.urls import include, path

# The webhook console pages live with the webhooks app (same owner, same permission).
urlpatterns: list = [path("", include("crewbase.webhooks.urls"))]
