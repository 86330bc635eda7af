from django.urls import path

from crewbase.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("dev/mailbox/", views.mailbox_list, name="dev_mailbox"),
    path("dev/mailbox/<str:name>/", views.mailbox_message, name="dev_mailbox_message"),
]
