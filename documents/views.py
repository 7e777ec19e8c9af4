"""The resident's document archive (DOC-1). Every view passes `resident_required` (login, the
register, no-store); documents are reached only through the scoped selectors."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from heka_portal.http import file_download
from tenancy import selectors as tenancy_selectors
from tenancy.decorators import ResidentHttpRequest, resident_required

from . import selectors
from .models import Document


def document_response(document: Document, *, filename: str) -> HttpResponse | FileResponse:
    """X-8: the stored file as an attachment, typed as it was checked on upload, never sniffed."""
    return file_download(document.file, filename=f"{filename}.{document.suffix}", content_type=document.content_type)


@resident_required
@require_GET
def document_list(request: ResidentHttpRequest) -> HttpResponse:
    language = (get_language() or "fi")[:2]
    buildings, agreements = selectors.shelves_for(request.access, language=language)
    return render(request, "documents/list.html", {"buildings": buildings, "agreements": agreements, "language": language})


@resident_required
@require_GET
def document_download(request: ResidentHttpRequest, pk: int) -> HttpResponse | FileResponse:
    document = selectors.document_get_for(request.access, pk)
    return document_response(document, filename=f"{document.kind.replace('_', '-')}-{document.pk}-{document.language}")


@resident_required
@require_GET
def rescue_plan(request: ResidentHttpRequest, pk: int) -> HttpResponse | FileResponse:
    """TEN-8, X-8: the rescue plan of the person's own building, in their language when there is
    one, as a download that is never sniffed. The address is the one TEN-8 gave out."""
    building = tenancy_selectors.building_get_for(request.access, pk)
    plan = selectors.rescue_plan_of(building, language=(get_language() or "fi")[:2])
    if plan is None:
        raise Http404("No rescue plan.")
    return document_response(plan, filename=f"rescue-plan-{building.code}")
