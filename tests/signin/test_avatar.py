"""Profile pictures (SELF-1): re-encoded, stripped and resized; bad files refused by name."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import ValidationFailed
from crewbase.people import avatars
from crewbase.people.models import Person
from crewbase.signin.avatar_actions import remove_own_avatar, set_own_avatar
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def photo(size=(800, 600), fmt="JPEG", exif=True, color=(200, 40, 40)) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"  # Make
        info[0x8825] = {2: (48.0, 51.0, 29.0)}  # GPS latitude
        kwargs["exif"] = info.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A real PNG of 40,000x40,000 one-bit pixels that is only ~200 KB on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + width // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def upload(data: bytes, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def rejection(data, **kwargs) -> str:
    account, _ = make_account()
    agent = make_member(account, "agent")
    with pytest.raises(ValidationFailed) as caught:
        set_own_avatar(actor=actor_for(agent), upload=upload(data, **kwargs))
    assert Person.objects.get(pk=agent.person_id).avatar == ""
    return caught.value.errors["avatar"]


def test_a_photo_becomes_a_256_px_webp_without_its_metadata():
    account, _ = make_account()
    agent = make_member(account, "agent")
    person = set_own_avatar(actor=actor_for(agent), upload=upload(photo()))
    from django.core.files.storage import default_storage

    stored = default_storage.open(person.avatar).read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "WEBP" and image.size == (256, 256)
    assert not image.getexif() and b"SecretCam" not in stored
    assert "exif" not in image.info and "icc_profile" not in image.info
    event = ActivityEvent.objects.get(action="member.avatar_changed")
    assert event.after == {"avatar": "set"}


def test_a_new_picture_replaces_the_old_file_and_removing_deletes_it(
    django_capture_on_commit_callbacks,
):
    from django.core.files.storage import default_storage

    account, _ = make_account()
    agent = make_member(account, "agent")
    with django_capture_on_commit_callbacks(execute=True):
        first = set_own_avatar(actor=actor_for(agent), upload=upload(photo())).avatar
    with django_capture_on_commit_callbacks(execute=True):
        second = set_own_avatar(
            actor=actor_for(agent),
            upload=upload(photo(size=(300, 300), fmt="PNG", exif=False, color=(9, 90, 200))),
        ).avatar
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        remove_own_avatar(actor=actor_for(agent))
    assert not default_storage.exists(second)
    assert Person.objects.get(pk=agent.person_id).avatar == ""


def test_a_zip_is_not_an_image():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("me.jpg", photo())
    reason = rejection(archive.getvalue(), name="me.zip", content_type="application/zip")
    assert reason == "is not an image Crewbase can read (use PNG, JPEG, GIF or WebP)"


def test_an_svg_with_a_script_is_not_accepted():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    assert rejection(svg, name="me.svg", content_type="image/svg+xml").startswith("is not an image")


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = png_bomb()
    assert len(bomb) < avatars.MAX_BYTES
    assert rejection(bomb, name="bomb.png", content_type="image/png") == (
        "has too many pixels (at most 25 megapixels)"
    )


def test_over_5_mb_empty_and_truncated_files_are_refused():
    assert rejection(b"\xff" * (avatars.MAX_BYTES + 1)) == "is larger than 5 MB"
    assert rejection(b"") == "is empty"
    whole = photo(size=(1200, 900), exif=False)
    assert rejection(whole[: len(whole) // 2]) in (
        "is damaged or incomplete",
        "is not an image Crewbase can read (use PNG, JPEG, GIF or WebP)",
    )


def test_the_settings_page_uploads_shows_and_serves_the_picture():
    account, _ = make_account()
    agent = make_member(account, "agent")
    colleague = make_member(account, "agent")
    _, stranger_owner = make_account()
    client = Client()
    client.force_login(agent.person)
    response = client.post("/settings/", {"form": "avatar", "avatar": upload(photo())}, follow=True)
    assert response.status_code == 200 and "Your picture is saved." in response.text
    name = Person.objects.get(pk=agent.person_id).avatar.removeprefix("avatars/")
    assert f'src="/avatars/{name}"' in response.text
    served = client.get(f"/avatars/{name}")
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    # A colleague sees it in the members list; another account's member does not get it.
    seeing = Client()
    seeing.force_login(colleague.person)
    assert f'src="/avatars/{name}"' in seeing.get("/members/").text
    assert seeing.get(f"/avatars/{name}").status_code == 200
    outsider = Client()
    outsider.force_login(stranger_owner.person)
    assert outsider.get(f"/avatars/{name}").status_code == 404
    assert Client().get(f"/avatars/{name}").status_code == 404


def test_a_bad_upload_on_the_settings_page_says_why_next_to_the_field():
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = Client()
    client.force_login(agent.person)
    response = client.post(
        "/settings/",
        {"form": "avatar", "avatar": upload(b"PK\x03\x04 not a picture", name="x.zip")},
    )
    assert response.status_code == 422
    assert "Is not an image Crewbase can read (use PNG, JPEG, GIF or WebP)." in response.text
    nothing = client.post("/settings/", {"form": "avatar"})
    assert nothing.status_code == 422 and "Choose a picture to upload." in nothing.text


def test_pictures_in_the_members_list_cost_the_same_queries_for_any_page_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account, owner = make_account()
    client = Client()
    client.force_login(owner.person)

    def add_members_with_pictures(count: int) -> None:
        for _ in range(count):
            member = make_member(account, "agent")
            color = (member.pk % 256, 90, 200)
            set_own_avatar(actor=actor_for(member), upload=upload(photo(color=color)))

    def queries() -> tuple[int, str]:
        client.get("/members/")  # the first visit also sets up the session
        with CaptureQueriesContext(connection) as captured:
            text = client.get("/members/").text
        return len(captured.captured_queries), text

    add_members_with_pictures(4)
    few, _ = queries()
    add_members_with_pictures(12)
    many, text = queries()
    assert text.count('<img class="avatar"') == 16
    assert many == few
