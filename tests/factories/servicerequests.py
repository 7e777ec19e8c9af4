"""Factories for requests to Heka: defects, messages, service requests and their timelines."""

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from servicerequests.models import Defect, Message, ServiceRequest, Status, TimelineEntry
from tests.factories.tenancy import ApartmentFactory, PersonFactory


class DefectFactory(factory.django.DjangoModelFactory[Defect]):
    class Meta:
        model = Defect

    submitted_by = factory.SubFactory(PersonFactory)
    apartment = factory.SubFactory(ApartmentFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    category = Defect.Category.WATER
    location = Defect.Location.KITCHEN
    description = "Keittiön hana vuotaa."
    master_key_allowed = True
    has_pets = False


class MessageFactory(factory.django.DjangoModelFactory[Message]):
    class Meta:
        model = Message

    submitted_by = factory.SubFactory(PersonFactory)
    apartment = factory.SubFactory(ApartmentFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    category = Message.Category.FEEDBACK
    subject = factory.Sequence(lambda n: f"Palaute {n}")
    body = "Pihan valaistus on hyvä."


class ServiceRequestFactory(factory.django.DjangoModelFactory[ServiceRequest]):
    class Meta:
        model = ServiceRequest

    submitted_by = factory.SubFactory(PersonFactory)
    apartment = factory.SubFactory(ApartmentFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    type = ServiceRequest.Type.NAME_CHANGE
    details = factory.LazyFunction(lambda: {"new_first_names": "", "new_last_name": "Uusinimi", "changed_on": "2026-10-01"})


class ReplyFactory(factory.django.DjangoModelFactory[TimelineEntry]):
    class Meta:
        model = TimelineEntry

    kind = TimelineEntry.Kind.REPLY
    text = "Huoltomies tulee tiistaina."


class StatusEntryFactory(factory.django.DjangoModelFactory[TimelineEntry]):
    class Meta:
        model = TimelineEntry

    kind = TimelineEntry.Kind.STATUS
    status = Status.IN_PROGRESS


def image_bytes(format: str = "PNG", size: tuple[int, int] = (40, 30), exif: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 40, 40))
    if exif is not None:
        image.save(buffer, format=format, exif=exif)
    else:
        image.save(buffer, format=format)
    return buffer.getvalue()


def png_upload(name: str = "vuoto.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type=content_type)


def jpeg_upload(name: str = "vuoto.jpg", exif: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", exif=exif), content_type="image/jpeg")
