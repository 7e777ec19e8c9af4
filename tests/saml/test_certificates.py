"""The expiry of our SP certificate and of the identity provider's certificates (SFI-5): a report
for the readiness check and a command, warning 60 days ahead, never showing key material."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.saml.certificates import WARNING_DAYS, certificate_report
from accounts.saml.keys import service_provider_key_pair

from .pysaml_idp import PysamlIdentityProvider, make_signing_key


@pytest.fixture
def two_idp_certificates(saml, idp_keys, tmp_path, settings):
    """Suomi.fi's metadata while it rotates: two signing certificates (each valid 30 days)."""
    metadata_file = tmp_path / "idp-metadata.xml"
    metadata_file.write_text(PysamlIdentityProvider(signing_keys=[idp_keys.first, idp_keys.second]).metadata())
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    return metadata_file


def test_report_lists_our_certificate_and_both_idp_signing_certificates_SFI_5(two_idp_certificates):
    """SFI-5: one item for our certificate and one per IdP signing certificate, with the expiry
    date, the days left and a status; the IdP's 30-day certificates are within the warning."""
    report = certificate_report()

    assert [(item["certificate"], item["use"], item["index"]) for item in report] == [
        ("sp", "signing and encryption", 0),
        ("idp", "signing", 0),
        ("idp", "signing", 1),
    ]
    ours, first, second = report
    assert ours["status"] == "ok"
    assert ours["days_left"] > WARNING_DAYS
    assert ours["entity"] == "http://127.0.0.1:8000/saml/metadata/"
    assert {first["subject"], second["subject"]} == {"CN=idp-first", "CN=idp-second"}
    assert first["entity"] == PysamlIdentityProvider.entity_id
    for item in (first, second):
        assert item["status"] == "warning"
        assert 28 <= item["days_left"] <= 30
        assert datetime.date.fromisoformat(item["not_after"]) > datetime.date.today()


def test_report_status_follows_the_days_left_SFI_5(two_idp_certificates):
    """SFI-5: "ok" beyond 60 days, "warning" at 60 days or fewer, "expired" after the end."""
    now = datetime.datetime.now(datetime.UTC)
    ending = datetime.datetime.fromisoformat(certificate_report()[1]["not_after"]).replace(tzinfo=datetime.UTC)

    assert certificate_report(now=ending - datetime.timedelta(days=61))[1]["status"] == "ok"
    assert certificate_report(now=ending - datetime.timedelta(days=59))[1]["status"] == "warning"
    expired = certificate_report(now=now + datetime.timedelta(days=45))[1]
    assert expired["status"] == "expired"
    assert expired["days_left"] < 0


@pytest.mark.django_db
def test_readiness_check_warns_of_the_identity_providers_expiring_certificates_SFI_5_OPS_1(two_idp_certificates, client):
    """SFI-5 through OPS-1: /readyz carries the real report; IdP certificates within 60 days of
    their end make the check a warning (the portal stays in service: 200), without key material."""
    response = client.get("/readyz")

    check = response.json()["checks"]["certificates"]
    assert response.status_code == 200
    assert check["status"] == "warning"
    assert [(item["certificate"], item["status"]) for item in check["certificates"]] == [
        ("sp", "ok"),
        ("idp", "warning"),
        ("idp", "warning"),
    ]
    assert "BEGIN CERTIFICATE" not in response.content.decode()


def test_report_holds_no_key_material_SFI_5(two_idp_certificates):
    """SFI-5: neither our private key nor any certificate body is in the report."""
    text = json.dumps(certificate_report())
    pair = service_provider_key_pair()
    assert "PRIVATE KEY" not in text
    assert pair.certificate_base64[:40] not in text
    assert pair.private_key_pem.splitlines()[1] not in text


def test_command_prints_the_report_and_fails_on_a_warning_SFI_5(two_idp_certificates):
    """SFI-5: `manage.py saml_certificates` prints every certificate and exits 1 when one has 60
    days or fewer left (here the IdP's), so that a scheduled run can alert."""
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("saml_certificates", stdout=out)

    assert exited.value.code == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("OK ")
    assert "our SP" in lines[0]
    assert all(line.startswith("WARNING ") for line in lines[1:])


def test_command_exits_zero_when_every_certificate_is_fresh_SFI_5(saml, tmp_path, settings):
    """SFI-5: certificates with more than 60 days left: exit 0 (JSON for machines)."""
    fresh = make_signing_key(tmp_path, "idp-fresh", days=400)
    metadata_file = tmp_path / "idp-fresh.xml"
    metadata_file.write_text(PysamlIdentityProvider(signing_keys=[fresh]).metadata())
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    out = StringIO()

    call_command("saml_certificates", "--json", stdout=out)

    assert [item["status"] for item in json.loads(out.getvalue())] == ["ok", "ok"]


def test_command_reports_unreadable_idp_metadata_SFI_5(saml, tmp_path, settings):
    """SFI-5: metadata that cannot be read is an error (exit 2), not an empty report."""
    broken = tmp_path / "broken.xml"
    broken.write_text("<not metadata")
    settings.HEKA_SAML_IDP_METADATA_FILE = str(broken)
    err = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("saml_certificates", stderr=err)

    assert exited.value.code == 2
    assert "cannot be read" in err.getvalue()


def test_development_identity_provider_reports_its_two_certificates_SFI_5_SFI_6(db, settings):
    """SFI-5, SFI-6: on a laptop the report covers the development IdP's two signing certificates."""
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_DEV_IDP_ENABLED = True

    report = certificate_report()

    assert [(item["certificate"], item["index"]) for item in report] == [("sp", 0), ("idp", 0), ("idp", 1)]
    assert {item["entity"] for item in report[1:]} == {"urn:heka:dev-idp"}
