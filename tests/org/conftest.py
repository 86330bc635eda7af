import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Scenes create many people; Argon2 at OWASP cost is tested where hashing is the subject.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
