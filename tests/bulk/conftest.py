"""Browser fixtures come from tests/browser; the SMTP ones they need from tests/core."""

from tests.browser.conftest import (  # noqa: F401  (shared fixtures)
    browser,
    fresh_rate_limits,
    new_page,
)
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (needed by tests.browser)
