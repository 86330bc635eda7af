"""How allauth fits Crewbase: no open sign-up; every email goes through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter


class CrewbaseAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join through invitations only (INV-5).
        return False
