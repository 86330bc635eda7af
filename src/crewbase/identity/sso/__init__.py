"""Single sign-on connections, enforced SSO, JIT provisioning, group mapping (SSO-1..3, SSO-5)."""
