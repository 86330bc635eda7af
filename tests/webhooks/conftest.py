import pytest


@pytest.fixture(autouse=True)
def _receivers_on_this_machine(settings):
    """The test receivers listen on 127.0.0.1, which the SSRF guard refuses by default."""
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = True
