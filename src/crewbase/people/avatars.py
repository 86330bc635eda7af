"""Profile pictures (SELF-1, LIFE-5): checked, stripped, re-encoded and resized by Pillow.

Whatever was uploaded is never stored or served: only a fresh 256x256 WebP drawn from its
pixels, so metadata (EXIF location, comments), scripts (SVG is not an image Pillow opens) and
polyglot tails are all left behind. Before any pixel is decoded the header's size is checked,
so a small file claiming 40,000x40,000 pixels (a decompression bomb) is refused cheaply.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5000x5000 photo; far above any real profile picture
SIZE = 256
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
OUTPUT_FORMAT = "WEBP"
OUTPUT_EXTENSION = "webp"


class AvatarRejected(ValueError):
    """The reason, in words for the person who uploaded it."""


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; treat that as the bomb it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AvatarRejected(_too_many_pixels()) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise AvatarRejected(
                _("is not an image Crewbase can read (use PNG, JPEG, GIF or WebP)")
            ) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise AvatarRejected(_too_many_pixels())
    return image


def _too_many_pixels() -> str:
    return _("has too many pixels (at most %(count)s megapixels)") % {
        "count": MAX_PIXELS // 1_000_000
    }


def process(data: bytes) -> bytes:
    """The stored picture for an upload, or AvatarRejected saying why not."""
    if not data:
        raise AvatarRejected(_("is empty"))
    if len(data) > MAX_BYTES:
        raise AvatarRejected(_("is larger than 5 MB"))
    _open(data).verify()  # checks the file's structure; the image must be opened again after
    image = _open(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)  # the first frame of an animation
            image = ImageOps.exif_transpose(image)  # upright, as the camera meant it
            image = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise AvatarRejected(_("is damaged or incomplete")) from None
    square = ImageOps.fit(image, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    # A new image holds pixels only: nothing of the upload's metadata comes along.
    clean = Image.new("RGBA", (SIZE, SIZE))
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format=OUTPUT_FORMAT, quality=85, method=4)
    return out.getvalue()


def file_name(person_id: int, content: bytes) -> str:
    """Named by content, so a new picture is a new URL and caches never show the old one."""
    digest = hashlib.sha256(content).hexdigest()[:16]
    return f"avatars/{person_id}-{digest}.{OUTPUT_EXTENSION}"
