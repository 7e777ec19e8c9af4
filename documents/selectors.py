"""Reads of the document archive (DOC-1): building documents for everyone who lives in the
building (TEN-8's rescue plan among them), agreement documents for the agreement's main tenants
(a guardian with a ward's rights, TEN-10). Anything else is a 404."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tenancy.access import Access, MainTenancy
from tenancy.models import Building

from .models import Document

KIND_ORDER = {kind: position for position, kind in enumerate(Document.Kind.values)}


@dataclass
class Shelf:
    """The documents of one building or one agreement, in the reader's language first."""

    building: Building | None = None
    tenancy: MainTenancy | None = None
    documents: list[Document] = field(default_factory=list)


def _visible(access: Access) -> Q:
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    return Q(building_id__in=access.building_ids()) | Q(agreement_id__in=agreement_ids)


def documents_visible_to(access: Access) -> QuerySet[Document]:
    return Document.objects.filter(_visible(access))


def document_get_for(access: Access, pk: int) -> Document:
    return get_object_or_404(documents_visible_to(access), pk=pk)


def in_reading_order(documents: Iterable[Document], language: str) -> list[Document]:
    """By kind, and within a kind the reader's language first, then the others by language."""
    return sorted(documents, key=lambda doc: (KIND_ORDER.get(doc.kind, 99), doc.language != language, doc.language, -doc.pk))


def shelves_for(access: Access, *, language: str) -> tuple[list[Shelf], list[Shelf]]:
    """The person's building shelves and agreement shelves: one query for the documents (the
    buildings and agreements come with the person's access)."""
    buildings = {grant.apartment.building_id: grant.apartment.building for grant in access.resident_grants()}
    tenancies = {tenancy.agreement.pk: tenancy for tenancy in access.main_tenancies()}
    building_shelves = {pk: Shelf(building=building) for pk, building in buildings.items()}
    agreement_shelves = {pk: Shelf(tenancy=tenancy) for pk, tenancy in tenancies.items()}
    for document in documents_visible_to(access):
        if document.building_id in building_shelves:
            building_shelves[document.building_id].documents.append(document)
        elif document.agreement_id in agreement_shelves:
            agreement_shelves[document.agreement_id].documents.append(document)
    for shelf in [*building_shelves.values(), *agreement_shelves.values()]:
        shelf.documents = in_reading_order(shelf.documents, language)
    with_documents = [shelf for shelf in agreement_shelves.values() if shelf.documents]
    return list(building_shelves.values()), with_documents


def rescue_plan_of(building: Building, *, language: str) -> Document | None:
    """TEN-8: the building's rescue plan, in the reader's language when there is one. The caller
    has already checked that the person may see the building."""
    plans = Document.objects.filter(building=building, kind=Document.Kind.RESCUE_PLAN)
    ordered = in_reading_order(plans, language)
    return ordered[0] if ordered else None


def rescue_plan_building_ids(building_ids: Iterable[int]) -> set[int]:
    found = Document.objects.filter(building_id__in=list(building_ids), kind=Document.Kind.RESCUE_PLAN)
    return set(found.values_list("building_id", flat=True))


def building_panel_context(access: Access, buildings: list[Building]) -> dict[str, set[int]]:
    """The documents app's panel on "My building" (heka_portal.registry): which of the buildings
    have a rescue plan; one query."""
    return {"rescue_plan_building_ids": rescue_plan_building_ids(building.pk for building in buildings)}
