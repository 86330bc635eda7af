"""Activity types of single sign-on (registered from SsoConfig.ready())."""

from crewbase.audit.registry import register

for _key, _label in [
    ("sso.connection_created", "SSO connection added"),
    ("sso.connection_updated", "SSO connection changed"),
    ("sso.connection_deleted", "SSO connection removed"),
    ("sso.connection_tested", "SSO test sign-in"),
    ("sso.signed_in", "Signed in with SSO"),
    ("sso.sign_in_refused", "SSO sign-in refused"),
    ("sso.member_provisioned", "Created by SSO sign-in"),
    ("sso.invitation_accepted", "Accepted invitation through SSO"),
    ("sso.break_glass_sign_in", "Break-glass sign-in"),
    ("sso.password_refused", "Password sign-in refused (SSO enforced)"),
]:
    register(_key, _label, "security")
