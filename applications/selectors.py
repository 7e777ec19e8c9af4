"""Reads of the application pages, scoped to the person looking (see `session`)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from .matching import Identity, identity_matches
from .models import Applicant, Application, CoApplicantLink
from .session import SESSION_SUBMITTED, Viewer


def _applicants() -> Prefetch:
    return Prefetch("applicants", queryset=Applicant.objects.select_related("office_identification"))


def applications_for(viewer: Viewer) -> QuerySet[Application]:
    """Applications on which the viewer is an applicant who has identified."""
    condition = Q(pk__in=[])
    if viewer.identity is not None:
        condition |= Q(applicants__hetu_hash__in=viewer.identity.hetu_hashes)
    if viewer.person_id is not None:
        condition |= Q(applicants__person_id=viewer.person_id)
    return Application.objects.filter(condition).distinct().prefetch_related(_applicants())


def application_get_for(viewer: Viewer, pk: int) -> Application:
    application = applications_for(viewer).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def applicant_of_viewer(viewer: Viewer, application: Application) -> Applicant | None:
    for applicant in application.applicants.all():
        if viewer.identity is not None and applicant.hetu_hash in viewer.identity.hetu_hashes:
            return applicant
        if viewer.person_id is not None and applicant.person_id == viewer.person_id:
            return applicant
    return None


def applicants_to_confirm(identity: Identity) -> list[Applicant]:
    """APP-2: the unconfirmed applications the identified person filled in themselves."""
    candidates = (
        Applicant.objects.filter(role=Applicant.Role.MAIN, confirmed_at__isnull=True)
        .filter(Q(hetu_hash__in=identity.hetu_hashes) | Q(hetu_hash__isnull=True, birth_date=identity.birth_date))
        .select_related("application")
        .order_by("-application__submitted_at")
    )
    return [applicant for applicant in candidates if identity_matches(applicant, identity)]


def submitted_application_get(request: HttpRequest, pk: int) -> Application:
    """An application this browser submitted; its receipt page needs no identification."""
    if pk not in request.session.get(SESSION_SUBMITTED, []):
        raise Http404
    application = Application.objects.filter(pk=pk).prefetch_related(_applicants()).first()
    if application is None:
        raise Http404
    return application


@dataclass(frozen=True)
class ApplicantRow:
    """One person's line on the application page (APP-4)."""

    applicant: Applicant
    is_adult: bool
    latest_link: CoApplicantLink | None

    @property
    def needs_office(self) -> bool:
        return self.is_adult and not self.applicant.is_confirmed and not self.applicant.is_main and not self.applicant.email

    @property
    def may_get_link(self) -> bool:
        return self.is_adult and not self.applicant.is_confirmed and not self.applicant.is_main and bool(self.applicant.email)


def applicant_rows(application: Application) -> list[ApplicantRow]:
    today = timezone.localdate()
    applicants = list(application.applicants.all())
    latest: dict[int, CoApplicantLink] = {}
    for link in CoApplicantLink.objects.filter(applicant__in=applicants).order_by("created_at"):
        latest[link.applicant_id] = link
    return [ApplicantRow(applicant, applicant.is_adult_on(today), latest.get(applicant.pk)) for applicant in applicants]
