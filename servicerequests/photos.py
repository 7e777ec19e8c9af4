"""Checking and cleaning uploaded defect photos (SRQ-1, X-8).

A photo is accepted only when Pillow can decode it as a JPEG or PNG, its file name and declared
type say the same, and it is small enough. It is then re-encoded from its pixels alone, which
drops EXIF (with the GPS position of a phone camera), comments and anything hidden after the
image data; the stored file gets a name made by the server.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 5
# Larger photos are scaled down: staff need to see the defect, not print a poster.
MAX_SIDE = 2560
# A small file can claim enormous dimensions to exhaust memory when decoded.
MAX_PIXELS = 50_000_000

FORMATS = {
    "JPEG": ("jpg", {".jpg", ".jpeg"}, {"image/jpeg", "image/pjpeg"}),
    "PNG": ("png", {".png"}, {"image/png", "image/x-png"}),
}


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    extension: str
    width: int
    height: int


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The upload as a re-encoded photo, or a ValidationError naming the file and what is wrong."""
    name, size = upload.name or "", upload.size or 0
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s). A photo may be at most %(limit)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(MAX_PHOTO_BYTES)},
        )
    not_an_image = ValidationError(
        _("%(name)s is not a JPEG or PNG photo. Choose a photo taken with a camera or phone."),
        code="not_an_image",
        params={"name": name},
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                detected = probe.format
                if probe.width * probe.height > MAX_PIXELS:
                    raise not_an_image
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise not_an_image from None
    if detected not in FORMATS:
        raise not_an_image
    extension, suffixes, content_types = FORMATS[detected]
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if _suffix(name) not in suffixes or (declared and declared not in content_types):
        raise ValidationError(
            _(
                "%(name)s is named or labelled as another type of file than it is. "
                "Save it as a JPEG or PNG photo and choose it again."
            ),
            code="type_mismatch",
            params={"name": name},
        )
    return _reencode(image, extension)


def _reencode(image: Image.Image, extension: str) -> CleanPhoto:
    # Turn the pixels upright as the camera meant them, since the orientation tag goes with EXIF.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    if extension == "jpg":
        image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(buffer, format="PNG", optimize=True)
    return CleanPhoto(ContentFile(buffer.getvalue()), extension, image.width, image.height)
