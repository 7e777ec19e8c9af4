import factory
from django.core.files.base import ContentFile

from documents.models import Document
from documents.services import document_save


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    kind = Document.Kind.HOUSE_RULES
    title = factory.Sequence(lambda n: f"Järjestyssäännöt {n}")
    language = "fi"
    content_type = "application/pdf"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 document", name="document.pdf"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return document_save(document=model_class(*args, **kwargs), uploaded_by=None)


def add_rescue_plan(building, content: bytes = b"%PDF-1.4", *, language: str = "fi") -> Document:
    """TEN-8: the building's rescue plan, which is a building document (DOC-1)."""
    return DocumentFactory.create(
        building=building,
        kind=Document.Kind.RESCUE_PLAN,
        title="Pelastussuunnitelma",
        language=language,
        file=ContentFile(content, name="plan.pdf"),
    )
