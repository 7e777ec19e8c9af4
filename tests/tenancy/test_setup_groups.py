"""STF-3: staff groups with least privilege, created and kept up to date by `setup_groups`."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from tenancy.staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE, GROUPS, OFFICE_CLERK


def run(*args: str) -> str:
    out = StringIO()
    call_command("setup_groups", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def perms(group: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group).permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_setup_groups_creates_the_four_groups_with_least_privilege_STF_3():
    run()

    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUPS)
    assert "tenancy.view_identity_code" in perms(OFFICE_CLERK)
    for group in (CUSTOMER_SERVICE, BOOKING_HANDLER, CONTENT_EDITOR):
        assert "tenancy.view_identity_code" not in perms(group)
    assert {"tenancy.add_bulletin", "tenancy.change_bulletin", "tenancy.change_building"} <= perms(CONTENT_EDITOR)
    assert not any(
        p.startswith("tenancy.") and "bulletin" in p and not p.endswith("view_bulletin") for p in perms(CUSTOMER_SERVICE)
    )
    assert "tenancy.change_terminationnotice" in perms(CUSTOMER_SERVICE)
    assert all(p.startswith("tenancy.view_") for p in perms(BOOKING_HANDLER) if p.startswith("tenancy."))
    everything = set().union(*(perms(group) for group in GROUPS))
    assert not any(p.startswith("tenancy.delete_person") or p.endswith("_personaldataaccess") for p in everything)
    assert not any(p.startswith("auth.") or (p.startswith("accounts.") and p.endswith("_user")) for p in everything), (
        "no group manages accounts or staff"
    )


@pytest.mark.django_db
def test_setup_groups_can_run_again_and_takes_away_what_was_added_by_hand_STF_3():
    run()
    clerk = Group.objects.get(name=OFFICE_CLERK)
    clerk.permissions.add(Permission.objects.get(codename="delete_person"))
    before = {group: perms(group) for group in GROUPS}

    output = run()

    assert "Updated Office clerk" in output
    assert "tenancy.delete_person" not in perms(OFFICE_CLERK)
    assert {group: perms(group) for group in GROUPS} == {**before, OFFICE_CLERK: before[OFFICE_CLERK] - {"tenancy.delete_person"}}
    assert Group.objects.filter(name__in=GROUPS).count() == len(GROUPS)


@pytest.mark.django_db
def test_unknown_permissions_are_skipped_or_refused_with_strict(monkeypatch):
    from tenancy.management.commands import setup_groups

    monkeypatch.setattr(
        setup_groups, "wanted_permissions", lambda: {CONTENT_EDITOR: {"tenancy.view_bulletin", "later.add_thing"}}
    )
    err = StringIO()
    call_command("setup_groups", stdout=StringIO(), stderr=err)
    assert "later.add_thing" in err.getvalue()
    assert perms(CONTENT_EDITOR) == {"tenancy.view_bulletin"}
    with pytest.raises(CommandError, match=r"later\.add_thing"):
        call_command("setup_groups", "--strict", stdout=StringIO(), stderr=StringIO())
