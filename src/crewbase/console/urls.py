from django.urls import path

from crewbase.console.views import home, invitations

urlpatterns = [
    path("", home.home, name="home"),
    path("invitations/<str:token>/", invitations.accept, name="accept_invitation"),
]
