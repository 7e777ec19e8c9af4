"""SRQ-6: what a resident typed is never lost to an ended session or an expired page.

Every request form carries a signed `draft_token` naming the person it was made for. When the
form comes back after the session ended (an anonymous POST) or with a CSRF token that no longer
holds (the resident logged in again in another tab), the typed fields are kept as that person's
draft and the resident is sent, with an explanation, to log in or straight back to the form,
which opens filled in. The signature makes sure that nobody can put words in another person's
draft: a token is only ever seen by the page of the person it was made for.
"""

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from tenancy.models import Person

from . import services

TOKEN_FIELD = "draft_token"  # noqa: S105 (a form field name)
SALT = "servicerequests.draft"
TOKEN_MAX_AGE = 14 * 24 * 60 * 60

# (draft name, field names) of the form a view shows, from the view's arguments; None: not a form.
FormOf = Callable[..., tuple[str, tuple[str, ...]] | None]

SESSION_ENDED = _(
    "Your session had ended, so your form was not sent. What you typed is kept as a draft: log in and "
    "you can continue where you were. Photos have to be chosen again."
)
PAGE_EXPIRED = _(
    "The page had been open so long that it could not be sent. What you typed is kept as a draft below: "
    "check it and send it again. Photos have to be chosen again."
)


def form_token(person: Person) -> str:
    return signing.dumps({"p": person.pk, "n": secrets.token_urlsafe(6)}, salt=SALT, compress=True)


def token_person(token: str) -> Person | None:
    try:
        person_id = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)["p"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Person.objects.filter(pk=person_id).first()


def typed_data(data: QueryDict, fields: tuple[str, ...]) -> dict[str, str]:
    # No form field accepts a NUL character, and PostgreSQL cannot store one in jsonb.
    values = {name: data.get(name, "").replace("\x00", "")[:5000] for name in fields}
    return {name: value for name, value in values.items() if value}


def rescue(request: HttpRequest, form: tuple[str, tuple[str, ...]] | None) -> Person | None:
    """Keep the POSTed fields of `form` as a draft of the person the form was made for."""
    if form is None or request.method != "POST":
        return None
    person = token_person(request.POST.get(TOKEN_FIELD, ""))
    name, fields = form
    data = typed_data(request.POST, fields)
    if person is None or not data:
        return None
    services.draft_save(person=person, form=name, data=data)
    return person


def keeps_drafts(form_of: FormOf) -> Callable:
    """Wrap a resident form view (outside `resident_required`) so that a POST arriving after the
    session ended is kept as a draft, and give it the `rescue_post` hook the CSRF failure page uses."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and not request.user.is_authenticated:
                if rescue(request, form_of(*args, **kwargs)):
                    messages.warning(request, SESSION_ENDED)
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        def rescue_post(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse | None:
            if rescue(request, form_of(*args, **kwargs)) is None:
                return None
            messages.warning(request, PAGE_EXPIRED if request.user.is_authenticated else SESSION_ENDED)
            return redirect(request.get_full_path())

        # An attribute of the view function, which the type checker does not follow.
        setattr(wrapper, "rescue_post", rescue_post)  # noqa: B010
        return wrapper

    return decorator
