import pytest

from tests.core.mailtest import smtp_server


@pytest.fixture
def smtp(settings):
    """A running SMTP server and SMTP_URL pointing at it; yields its Inbox."""
    with smtp_server() as (port, inbox):
        settings.SMTP_URL = f"smtp://127.0.0.1:{port}"
        yield inbox


@pytest.fixture
def mailbox_dir(settings, tmp_path):
    """No SMTP server: mail goes to a fresh development mailbox folder."""
    settings.SMTP_URL = ""
    settings.DEV_MAILBOX_DIR = tmp_path / "mailbox"
    return settings.DEV_MAILBOX_DIR
