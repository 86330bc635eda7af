from django.urls import path

from crewbase.signin import avatar_views, settings_views

urlpatterns = [
    path("avatars/<str:name>", avatar_views.avatar, name="avatar"),
    path(
        "settings/sessions/<int:session_id>/end/",
        settings_views.end_session,
        name="settings_end_session",
    ),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        settings_views.revoke_token,
        name="settings_revoke_token",
    ),
]
