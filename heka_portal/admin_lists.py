"""Staff lists that stay fast at Heka's size (STF-4): no count of a whole large table, and a search
that asks only what an index answers.

A list of a large table mixes in `LargeListAdmin`. Its search takes the whole phrase, as staff type
a reference number, a name or an address, and matches it in three ways, each one index lookup:
- `exact_search_fields`: the phrase exactly, for numbers, references and codes;
- `prefix_search_fields`: every word of the phrase starts one of these fields (names, e-mail
  addresses), compared without regard to case against an index on the upper-cased column; a
  related row's field (the sender's last name) is looked up first, and the rows by its ids;
- `apartment_search_field`: the path to an apartment; the phrase is a building code, a street
  address, or a street address followed by the apartment ("Testikatu 5 A 12").
Each way is its own subquery of primary keys and the list keeps the rows in their union, so the
database reads every index on its own instead of joining the whole table to test an OR.
"""

import operator
from collections.abc import Sequence
from functools import cached_property, reduce

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Field, Model, Q, QuerySet
from django.http import HttpRequest

from tenancy.models import Apartment, Building

# A filtered list counts its rows up to this many, and says "more than" beyond; an unfiltered
# list of a larger table says "about" its number of rows.
COUNT_AT_MOST = 1_000
# A search looks up at most this many related rows (people whose name starts with the word) by id.
RELATED_IDS_AT_MOST = 5_000
# The words of a phrase matched as the beginnings of names; a longer phrase is an address.
PREFIX_WORDS_AT_MOST = 4


class EstimatingPaginator(Paginator):
    """Counts a filtered list up to `COUNT_AT_MOST` rows, reading no further than that, and
    estimates an unfiltered one of a large table on PostgreSQL from `pg_class.reltuples`, which
    ANALYZE and autovacuum keep close. The list then says "more than" or "about" (list_count)."""

    count_is_estimate = False
    count_is_capped = False

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        unfiltered: bool = False,
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.unfiltered = unfiltered

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if self.unfiltered:
            estimate = _estimated_rows(queryset)
            if estimate > COUNT_AT_MOST:
                self.count_is_estimate = True
                return estimate
        # Without the order, which would make the database walk the list's index to the end when
        # few rows match.
        counted = queryset.order_by()[: COUNT_AT_MOST + 1].count()
        if counted > COUNT_AT_MOST:
            self.count_is_capped = True
            return COUNT_AT_MOST
        return counted


def _estimated_rows(queryset: QuerySet) -> int:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [queryset.model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] > 0 else 0


def apartments_matching(phrase: str) -> QuerySet:
    """The apartments a phrase names: a building's code or street address gives all its apartments,
    a street address and an apartment ("Testikatu 5 A 12", split at any space) gives one."""
    buildings = Q(building__in=Building.objects.filter(Q(code__iexact=phrase) | Q(street_address__iexact=phrase)))
    words = phrase.split()
    for split in range(1, len(words)):
        street, number = " ".join(words[:split]), " ".join(words[split:])
        buildings |= Q(building__in=Building.objects.filter(street_address__iexact=street), number__iexact=number)
    return Apartment.objects.filter(buildings).values("pk")


class LargeListAdmin(admin.ModelAdmin):
    show_full_result_count = False
    # Facets would count every filter choice over the whole table.
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatingPaginator
    list_per_page = 50
    # The model whose rows the search reads: a kind's base model, for multi-table inheritance,
    # so that the search does not join the kind's own table.
    search_model: type[Model] | None = None
    exact_search_fields: Sequence[str] = ()
    prefix_search_fields: Sequence[str] = ()
    apartment_search_field = ""

    def __init__(self, model: type[Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        # The admin shows its search box, and other lists' autocompletes may use this one, when
        # there are search fields: these are the ones searched.
        apartment = [self.apartment_search_field] if self.apartment_search_field else []
        fields = [*self.exact_search_fields, *self.prefix_search_fields, *apartment]
        self.search_fields = fields  # type: ignore[misc]  # the instance's own, which the admin reads

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        phrase = " ".join(search_term.split())
        if not phrase:
            return queryset, False
        ways = [self._exact_matches(field, phrase) for field in self.exact_search_fields]
        if self.prefix_search_fields:
            ways.append(self._prefix_matches(phrase.split()[:PREFIX_WORDS_AT_MOST]))
        if self.apartment_search_field:
            ways.append(self._all().filter(**{f"{self.apartment_search_field}__in": apartments_matching(phrase)}))
        found = [way.values("pk") for way in ways if way is not None]
        if not found:
            return queryset.none(), False
        union = found[0].union(*found[1:]) if len(found) > 1 else found[0]
        return queryset.filter(pk__in=union), False

    def get_paginator(
        self, request: HttpRequest, queryset: QuerySet, per_page: int, orphans: int = 0, allow_empty_first_page: bool = True
    ) -> EstimatingPaginator:
        # The list as it opens, or only paged or sorted: a queue's own condition (its kind) is no filter.
        unfiltered = all(key in (PAGE_VAR, ORDER_VAR) for key in request.GET)
        return EstimatingPaginator(queryset, per_page, orphans, allow_empty_first_page, unfiltered=unfiltered)

    def _all(self) -> QuerySet:
        return (self.search_model or self.model)._default_manager.order_by()

    def _exact_matches(self, field: str, phrase: str) -> QuerySet | None:
        """None when the phrase cannot be a value of the field (letters for a number)."""
        value = phrase.removeprefix("#") if field in ("pk", "id") else phrase
        model_field = _field_at(self.search_model or self.model, field)
        try:
            model_field.get_prep_value(model_field.to_python(value))
        except (ValidationError, ValueError, TypeError):
            return None
        return self._all().filter(**{field: value})

    def _prefix_matches(self, words: list[str]) -> QuerySet:
        matches = self._all()
        for word in words:
            # Each condition is on this table's own columns, so the database ORs their indexes.
            matches = matches.filter(
                reduce(operator.or_, (self._starts_with(field, word) for field in self.prefix_search_fields))
            )
        return matches

    def _starts_with(self, field: str, word: str) -> Q:
        """A field of a related row (the sender's last name) is looked up in its own table first:
        given the rows' ids, the database reads the relation's index, where a join would have it
        read this whole table when a common name matches many people."""
        if "__" not in field:
            return Q(**{f"{field}__istartswith": word})
        relation, name = field.rsplit("__", 1)
        related = _field_at(self.search_model or self.model, f"{relation}__pk").model
        ids = list(
            related._default_manager.filter(**{f"{name}__istartswith": word}).values_list("pk", flat=True)[
                : RELATED_IDS_AT_MOST + 1
            ]
        )
        if len(ids) > RELATED_IDS_AT_MOST:
            return Q(**{f"{field}__istartswith": word})
        return Q(**{f"{relation}__in": ids})


def _field_at(model: type[Model], path: str) -> Field:
    """The model field at the end of a lookup path such as `agreement__number`."""
    *relations, name = path.split("__")
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        if not isinstance(related, type):
            raise RuntimeError(path)
        model = related
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, Field):
        raise RuntimeError(path)
    return field
