from django.urls import path

from crewbase.mfa import views

urlpatterns = [
    path("two-factor/email-code/", views.email_code, name="mfa_email_code"),
    path("security/two-factor/", views.policy_page, name="mfa_policy"),
    path("members/<str:member_id>/reset-2fa/", views.reset_page, name="mfa_reset"),
]
