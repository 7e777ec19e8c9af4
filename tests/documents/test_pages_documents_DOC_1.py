"""DOC-1: building documents for everyone who lives in the building, agreement documents for the
agreement's main tenants only, in the reader's language first; downloads through the access check
as attachments with nosniff and no-store (X-8); content editors upload them, checked by content."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from documents.models import Document
from documents.validators import DOCUMENT_MAX_BYTES, validate_document
from tenancy.staff_groups import CONTENT_EDITOR
from tests.factories.documents import DocumentFactory
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, visit
from tests.tenancy.test_admin_audit import staff_in


@pytest.fixture
def archive(household):
    h = household
    stranger_building = h.stranger_agreement.apartment.building
    h.docs = SimpleNamespace(
        rules_fi=DocumentFactory(building=h.building, title="Järjestyssäännöt", language="fi"),
        rules_sv=DocumentFactory(building=h.building, title="Ordningsregler", language="sv"),
        manual=DocumentFactory(building=h.building, kind=Document.Kind.MANUAL, title="Sauna manual", language="en"),
        agreement=DocumentFactory(agreement=h.agreement, kind=Document.Kind.AGREEMENT, title="Vuokrasopimus V1"),
        stranger_building=DocumentFactory(building=stranger_building, title="Toisen talon säännöt"),
        stranger_agreement=DocumentFactory(agreement=h.stranger_agreement, kind=Document.Kind.AGREEMENT, title="Vieras sopimus"),
    )
    return h


BUILDING_ONLY = Sees(
    contains=("Järjestyssäännöt", "Ordningsregler", "Sauna manual"),
    lacks=("Vuokrasopimus V1", "Toisen talon säännöt", "Vieras sopimus"),
)
WITH_AGREEMENT = Sees(
    contains=(*BUILDING_ONLY.contains, "Vuokrasopimus V1", "Rental agreement {agreement.number}"),
    lacks=("Toisen talon säännöt", "Vieras sopimus"),
)
LIST_EXPECTED = {
    "main_tenant": WITH_AGREEMENT,
    "co_tenant": WITH_AGREEMENT,
    "family_member": BUILDING_ONLY,
    "sublessee": BUILDING_ONLY,  # the agreement is the main tenant's, not theirs
    "guardian": BUILDING_ONLY,  # the ward lives in the building but did not sign the agreement
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("Toisen talon säännöt", "Vieras sopimus"), lacks=("Järjestyssäännöt", "Vuokrasopimus V1")),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_documents_page_shows_each_person_what_is_theirs_DOC_1(client, archive, who):
    check(visit(client, archive, who, "/documents/"), archive, LIST_EXPECTED[who])


ATTACHMENT = Sees(headers={"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})
DOWNLOAD_EXPECTED = {
    # (building document, agreement document)
    "main_tenant": (ATTACHMENT, ATTACHMENT),
    "co_tenant": (ATTACHMENT, ATTACHMENT),
    "family_member": (ATTACHMENT, NOT_FOUND),
    "sublessee": (ATTACHMENT, NOT_FOUND),
    "guardian": (ATTACHMENT, NOT_FOUND),
    "future_tenant": (FUTURE, FUTURE),
    "former_tenant": (REFUSED, REFUSED),
    "stranger": (NOT_FOUND, NOT_FOUND),
    "anonymous": (LOGIN, LOGIN),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("which", ["building", "agreement"])
def test_a_document_downloads_only_through_the_access_check_DOC_1_X_8(client, archive, who, which):
    document = archive.docs.rules_fi if which == "building" else archive.docs.agreement
    response = visit(client, archive, who, f"/documents/{document.pk}/download/")
    expected = DOWNLOAD_EXPECTED[who][0 if which == "building" else 1]
    check(response, archive, expected)
    if expected is ATTACHMENT:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 document"


def test_the_readers_language_comes_first_and_others_are_labelled_DOC_1(client, archive):
    visit(client, archive, "family_member", "/documents/")
    client.cookies["django_language"] = "sv"

    body = client.get("/documents/").content.decode()

    assert body.index("Ordningsregler") < body.index("Järjestyssäännöt")
    assert 'lang="fi">Järjestyssäännöt</a>' in body
    assert 'lang="en">Sauna manual</a>' in body
    assert 'lang="sv">Ordningsregler' not in body


def test_a_guardian_sees_a_wards_agreement_documents_labelled_DOC_1(client, archive):
    from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, PersonFactory
    from tests.tenancy.pages import login

    ward = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=archive.stranger_agreement, person=ward)
    guardian = PersonFactory()
    GuardianshipFactory(guardian=guardian, ward=ward)
    login(client, guardian)
    client.cookies["django_language"] = "en"

    body = client.get("/documents/").content.decode()

    assert "Vieras sopimus" in body
    assert "On behalf of Liisa Alaikäinen" in body
    assert client.get(f"/documents/{archive.docs.stranger_agreement.pk}/download/").status_code == 200


def test_content_editor_uploads_an_agreement_document_stored_under_a_server_made_name_DOC_1(client, archive, private_storage):
    staff_in(client, CONTENT_EDITOR)
    upload = SimpleUploadedFile("../../sopimus <script>.pdf", b"%PDF-1.7 signed", "text/html")

    response = client.post(
        "/admin/documents/document/add/",
        {
            "agreement": archive.agreement.pk,
            "kind": Document.Kind.AGREEMENT,
            "title": "Liite 1",
            "language": "fi",
            "file": upload,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get(title="Liite 1")
    assert document.file.name is not None
    assert document.file.name.startswith(f"documents/agreement-{archive.agreement.pk}/")
    assert document.file.name.endswith(".pdf")
    assert "script" not in document.file.name
    assert document.content_type == "application/pdf", "typed by its content, not by what the browser said"
    assert document.uploaded_by is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script>", "must be a PDF file, or a PNG or JPEG picture"),
        (b"MZ\x90\x00", "must be a PDF file, or a PNG or JPEG picture"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored_DOC_1(client, archive, content, message):
    staff_in(client, CONTENT_EDITOR)
    before = Document.objects.count()
    upload = SimpleUploadedFile("rules.pdf", content, "application/pdf")

    response = client.post(
        "/admin/documents/document/add/",
        {"building": archive.building.pk, "kind": Document.Kind.HOUSE_RULES, "title": "X", "language": "fi", "file": upload},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Document.objects.count() == before


def test_a_document_names_a_building_or_an_agreement_not_both_DOC_1(client, archive):
    staff_in(client, CONTENT_EDITOR)
    response = client.post(
        "/admin/documents/document/add/",
        {
            "building": archive.building.pk,
            "agreement": archive.agreement.pk,
            "kind": Document.Kind.OTHER,
            "title": "Both",
            "language": "fi",
            "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert not Document.objects.filter(title="Both").exists()


def test_a_document_over_20_mb_is_refused_DOC_1():
    big = ContentFile(b"%PDF-" + b"0" * 16, name="big.pdf")
    big.size = DOCUMENT_MAX_BYTES + 1
    with translation.override("en"), pytest.raises(ValidationError, match="at most 20 MB"):
        validate_document(big)
