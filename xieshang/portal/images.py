"""Pictures for the website: recognised by their content (not their name or the browser's
content type), decoded by Pillow, turned upright, at most MAX_WIDTH px wide, and re-encoded.

Re-encoding drops everything but the pixels: EXIF (camera GPS positions), comments and any
bytes appended to the file (a "picture" that is also a script or an archive).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from xieshang.core.uploads import Upload

MAX_WIDTH = 1600
MAX_BYTES = 10 * 1024 * 1024
# Decoding a small file into billions of pixels is a denial of service: refuse big canvases.
MAX_PIXELS = 50_000_000
ACCEPTED = {"JPEG", "PNG", "GIF", "WEBP"}
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Processed:
    content: ContentFile[bytes]
    name: str
    width: int
    height: int


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)


def process(upload: Upload) -> Processed:
    """Check and normalise one uploaded picture; raise ValidationError when it is not one."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ValidationError(_("The picture is larger than 10 MB."))
    data = upload.read()
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if kind not in ACCEPTED:
                    raise ValidationError(_("Only JPEG, PNG, GIF and WebP pictures are "
                                            "accepted."))
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("The picture has too many pixels."))
                probe.verify()
            # verify() leaves the image unusable: open it again to decode the pixels.
            with Image.open(io.BytesIO(data)) as img:
                img.seek(0)  # the first frame of an animation
                img.load()
                picture = ImageOps.exif_transpose(img)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This file is not a picture (JPEG, PNG, GIF or WebP).")) from exc
    if picture.width > MAX_WIDTH:
        height = max(1, round(picture.height * MAX_WIDTH / picture.width))
        picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if _has_alpha(picture):
        picture.convert("RGBA").save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True,
                                    progressive=True)
        ext = "jpg"
    return Processed(content=ContentFile(out.getvalue()), name=f"image.{ext}",
                     width=picture.width, height=picture.height)
