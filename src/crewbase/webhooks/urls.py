from django.urls import path

from crewbase.webhooks import views

urlpatterns = [
    path("security/webhooks/", views.webhook_list, name="webhooks"),
    path("security/webhooks/<int:webhook_id>/", views.webhook_detail, name="webhook_detail"),
    path("security/webhooks/<int:webhook_id>/switch/", views.webhook_switch, name="webhook_switch"),
    path("security/webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path(
        "security/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
]
