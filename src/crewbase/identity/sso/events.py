"""Activity types of single sign-on (registered from SsoConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

for _key, _label in [
    ("sso.connection_created", _("SSO connection added")),
    ("sso.connection_updated", _("SSO connection changed")),
    ("sso.connection_deleted", _("SSO connection removed")),
    ("sso.connection_tested", _("SSO test sign-in")),
    ("sso.signed_in", _("Signed in with SSO")),
    ("sso.sign_in_refused", _("SSO sign-in refused")),
    ("sso.member_provisioned", _("Created by SSO sign-in")),
    ("sso.invitation_accepted", _("Accepted invitation through SSO")),
    ("sso.break_glass_sign_in", _("Break-glass sign-in")),
    ("sso.password_refused", _("Password sign-in refused (SSO enforced)")),
]:
    register(_key, _label, "security")
