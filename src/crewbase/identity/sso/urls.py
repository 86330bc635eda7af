from django.urls import path

from crewbase.identity.sso import console_views, views

app_name = "sso"

urlpatterns = [
    path("sso/discover/", views.discover, name="discover"),
    path("sso/start/<int:connection_id>/", views.start, name="start"),
    path("sso/<int:account_id>/", views.account_sign_in, name="account_sign_in"),
    path("security/sso/", console_views.connections, name="connections"),
    path("security/sso/<int:connection_id>/", console_views.connection, name="connection"),
    path("security/sso/<int:connection_id>/test/", console_views.test_sign_in, name="test"),
    path("security/sso/<int:connection_id>/enable/", console_views.enable, name="enable"),
    path("security/sso/<int:connection_id>/enforce/", console_views.enforce, name="enforce"),
    path("security/sso/<int:connection_id>/delete/", console_views.delete, name="delete"),
]
