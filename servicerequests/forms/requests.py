"""The defect notification (SRQ-1) and message (SRQ-2) forms."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..models import Defect, Message
from ..photos import MAX_PHOTO_BYTES, MAX_PHOTOS, CleanPhoto, clean_photo
from .common import HomeForm, text_area, yes_no_field


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos, each checked and re-encoded (X-8)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data: object, initial: object = None) -> list[CleanPhoto]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(
                ngettext_lazy("Choose at most %(count)d photo.", "Choose at most %(count)d photos.", MAX_PHOTOS),
                code="too_many",
                params={"count": MAX_PHOTOS},
            )
        photos, errors = [], []
        for upload in uploads:
            if not isinstance(upload, UploadedFile):
                errors.append(ValidationError(_("The photo could not be read."), code="invalid"))
                continue
            try:
                photos.append(clean_photo(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return photos


class DefectForm(HomeForm):
    category = forms.ChoiceField(label=_("What is the defect about?"), choices=[("", "---------"), *Defect.Category.choices])
    location = forms.ChoiceField(label=_("Where is it?"), choices=[("", "---------"), *Defect.Location.choices])
    location_details = forms.CharField(
        label=_("More about the location"),
        max_length=200,
        required=False,
        help_text=_("For example: under the kitchen sink, the window of the smaller bedroom."),
    )
    description = forms.CharField(
        label=_("Description of the defect"),
        max_length=5000,
        widget=text_area(6),
        help_text=_("What is wrong, since when, and does it get worse."),
    )
    photos = PhotosField(label=_("Photos"))
    master_key_allowed = yes_no_field(
        _("May a serviceman enter with a master key when you are not at home?"),
        yes=_("Yes, you may enter with a master key"),
        no=_("No, contact me to agree on a time"),
    )
    has_pets = yes_no_field(_("Are there pets in the apartment?"), yes=_("Yes"), no=_("No"))
    pets_details = forms.CharField(
        label=_("About the pets"),
        max_length=200,
        required=False,
        help_text=_("For example: a cat that may try to get out."),
    )

    # Kept in a draft; photos cannot be (a browser never fills a file field again).
    draft_fields = (
        "home",
        "category",
        "location",
        "location_details",
        "description",
        "master_key_allowed",
        "has_pets",
        "pets_details",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _(
            "Up to %(count)d JPEG or PNG photos, at most %(size)d MB each. Their location data is removed."
        ) % {"count": MAX_PHOTOS, "size": MAX_PHOTO_BYTES // (1024 * 1024)}


class MessageForm(HomeForm):
    category = forms.ChoiceField(label=_("Subject area"), choices=[("", "---------"), *Message.Category.choices])
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=text_area(8))
    key_type = forms.ChoiceField(
        label=_("Key order: which key"),
        choices=[("", _("This is not a key order")), *Message.Key.choices],
        required=False,
        help_text=_("Only for key orders, with the subject area Customer service."),
    )
    key_count = forms.IntegerField(label=_("Key order: how many keys"), min_value=1, max_value=10, required=False)

    draft_fields = ("home", "category", "subject", "body", "key_type", "key_count")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        key_type, key_count = cleaned.get("key_type"), cleaned.get("key_count")
        if key_type:
            if cleaned.get("category") and cleaned["category"] != Message.Category.CUSTOMER_SERVICE:
                self.add_error("category", _("Key orders are sent with the subject area Customer service."))
            if key_count is None and "key_count" not in self.errors:
                self.add_error("key_count", _("Tell how many keys you need."))
        elif key_count is not None:
            self.add_error("key_type", _("Choose which key you need, or leave the number of keys empty."))
        return cleaned
