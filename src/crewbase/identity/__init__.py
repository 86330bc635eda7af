"""Who a person is to the outside world: single sign-on and SCIM provisioning."""
