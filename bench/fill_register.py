"""Fill PostgreSQL with a Heka-sized tenancy register, in minutes, with set-based SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench \\
        .venv/bin/python manage.py migrate && \\
        DATABASE_URL=... .venv/bin/python bench/fill_register.py [--scale 1.0]

At scale 1: 1,500 buildings, 50,000 apartments, 100,000 persons, 60,000 agreements (50,000 in force,
10,000 ended), 1,000,000 invoices with payments for most of them, 300,000 defect notifications and
messages and 60,000 service requests with a timeline entry each, 2,500 parking spaces and 2,500
sauna slots with 10,000 queued booking requests, and 1,000,000 e-mails in the outbox (about two
years of them; 1,000 still waiting). Persons get no identity code
(the keyed hash is unique and nullable; lookups by code are measured separately). Every resident of
the benchmark logs in as bench<N>@heka.example with the password printed at the end.
The tables must be empty: run it on a fresh database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heka_portal.settings.local")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402

BENCH_PASSWORD = "Bench-salasana1!"  # noqa: S105 (a benchmark account on a throw-away database)


def _steps(scale: float) -> list[tuple[str, str, dict]]:
    buildings = int(1_500 * scale)
    apartments = int(50_000 * scale)
    persons = int(100_000 * scale)
    current = apartments  # one agreement in force per apartment
    ended = int(10_000 * scale)
    months = 20  # 20 invoices per current agreement = 1,000,000 at scale 1
    return [
        (
            "region offices",
            """INSERT INTO tenancy_regionoffice (name, street_address, postal_code, city, phone, email, opening_hours,
                                                opening_hours_sv, opening_hours_en)
               SELECT 'Alue ' || r, 'Toimistokatu ' || r, '00' || (100 + r), 'Helsinki', '09 310 1300' || r,
                      'alue' || r || '@heka.example', 'ma-pe 9-15', 'mån-fre 9-15', 'Mon-Fri 9-15'
               FROM generate_series(1, 5) r""",
            {},
        ),
        (
            "buildings",
            """INSERT INTO tenancy_building (code, name, street_address, postal_code, city, region_id, information,
                                            information_sv, information_en)
               SELECT 'B' || b, 'Kerrostalo ' || b, 'Testikatu ' || b, '00' || (500 + b %% 400), 'Helsinki',
                      (SELECT min(id) FROM tenancy_regionoffice) + b %% 5, 'Tervetuloa taloon ' || b || '.',
                      'Välkommen till huset ' || b || '.', 'Welcome to building ' || b || '.'
               FROM generate_series(1, %(buildings)s) b""",
            {"buildings": buildings},
        ),
        (
            "apartments",
            """INSERT INTO tenancy_apartment (building_id, number, rooms, area_m2)
               SELECT (SELECT min(id) FROM tenancy_building) + (a - 1) %% %(buildings)s,
                      'A ' || a, (1 + a %% 4) || 'h+k', 30 + a %% 60
               FROM generate_series(1, %(apartments)s) a""",
            {"buildings": buildings, "apartments": apartments},
        ),
        (
            "persons",
            """INSERT INTO tenancy_person (first_names, last_name, birth_date, hetu_encrypted, preferred_language, email,
                                          phone, street_address, postal_code, city, iban, external_id)
               SELECT 'Etunimi' || p, 'Sukunimi' || p, date '1950-01-01' + (p %% 20000), '',
                      (ARRAY['fi','fi','fi','sv','en'])[1 + p %% 5], 'bench' || p || '@heka.example',
                      '040 ' || p, '', '', '', '', 'P' || p
               FROM generate_series(1, %(persons)s) p""",
            {"persons": persons},
        ),
        (
            "agreements in force",
            """INSERT INTO tenancy_rentalagreement
                   (number, apartment_id, signed_on, starts_on, ends_on, terminated_on, rent, deposit)
               SELECT 'V' || a, (SELECT min(id) FROM tenancy_apartment) + a - 1, current_date - 400 - a %% 3000,
                      current_date - 380 - a %% 3000, NULL, NULL, 450 + a %% 700, 900
               FROM generate_series(1, %(current)s) a""",
            {"current": current},
        ),
        (
            "ended agreements",
            """INSERT INTO tenancy_rentalagreement
                   (number, apartment_id, signed_on, starts_on, ends_on, terminated_on, rent, deposit)
               SELECT 'E' || a, (SELECT min(id) FROM tenancy_apartment) + (a - 1) %% %(apartments)s,
                      date '2010-01-01', date '2010-02-01', date '2012-01-31', date '2011-12-01', 400, 800
               FROM generate_series(1, %(ended)s) a""",
            {"ended": ended, "apartments": apartments},
        ),
        (
            "agreement parties",
            """INSERT INTO tenancy_agreementparty (agreement_id, person_id)
               SELECT ag.id, (SELECT min(id) FROM tenancy_person) + (row_number() OVER (ORDER BY ag.id) - 1) %% %(persons)s
               FROM tenancy_rentalagreement ag""",
            {"persons": persons},
        ),
        (
            "occupants",
            """INSERT INTO tenancy_occupancy (person_id, apartment_id, starts_on, ends_on, is_sublessee)
               SELECT (SELECT min(id) FROM tenancy_person) + %(current)s + ended.n, ap.id,
                      current_date - 300, NULL, ended.n %% 10 = 0
               FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tenancy_apartment) ap
               JOIN (SELECT generate_series(0, %(others)s - 1) AS n) ended ON ended.n = ap.n""",
            {"current": current + ended, "others": max(persons - current - ended, 0)},
        ),
        (
            "invoices",
            """INSERT INTO tenancy_invoice (agreement_id, number, kind, period, due_on, amount, reference_number)
               SELECT ag.id, ag.number || '-' || m, 'rent', to_char(current_date - (m * interval '1 month'), 'MM/YYYY'),
                      (date_trunc('month', current_date) - (m * interval '1 month'))::date + 4, ag.rent,
                      '1' || lpad(ag.id::text, 8, '0') || lpad(m::text, 2, '0')
               FROM tenancy_rentalagreement ag CROSS JOIN generate_series(0, %(months)s - 1) m
               WHERE ag.ends_on IS NULL""",
            {"months": months},
        ),
        (
            "requests",
            """INSERT INTO servicerequests_residentrequest
                   (kind, status, created_at, due_on, apartment_id, on_behalf_of_id, submitted_by_id)
               SELECT CASE WHEN r %% 3 = 0 THEN 'message' ELSE 'defect' END,
                      (ARRAY['received','in_progress','done'])[1 + r %% 3],
                      now() - (r %% 1000) * interval '1 day',
                      (now() - (r %% 1000) * interval '1 day')::date + CASE WHEN r %% 3 = 0 THEN 5 ELSE 7 END,
                      ag.apartment_id, NULL, ap.person_id
               FROM generate_series(1, %(requests)s) r
               JOIN tenancy_rentalagreement ag ON ag.number = 'V' || (1 + r %% %(current)s)
               JOIN tenancy_agreementparty ap ON ap.agreement_id = ag.id""",
            {"requests": int(300_000 * scale), "current": current},
        ),
        (
            "service requests",
            """INSERT INTO servicerequests_residentrequest
                   (kind, status, created_at, due_on, apartment_id, on_behalf_of_id, submitted_by_id)
               SELECT 'service_request', (ARRAY['received','in_progress','done'])[1 + r %% 3],
                      now() - (r %% 1000) * interval '1 day' - r * interval '1 second',
                      (now() - (r %% 1000) * interval '1 day')::date + 14, ag.apartment_id, NULL, ap.person_id
               FROM generate_series(1, %(requests)s) r
               JOIN tenancy_rentalagreement ag ON ag.number = 'V' || (1 + (r * 13) %% %(current)s)
               JOIN tenancy_agreementparty ap ON ap.agreement_id = ag.id""",
            {"requests": int(60_000 * scale), "current": current},
        ),
        (
            "service request types",
            """INSERT INTO servicerequests_servicerequest (residentrequest_ptr_id, type, details)
               SELECT id, (ARRAY['disruptive_behaviour','smoking','renovation','name_change','inspection'])[1 + id %% 5],
                      '{}'::jsonb
               FROM servicerequests_residentrequest WHERE kind = 'service_request'""",
            {"unused": 0},
        ),
        (
            "defects",
            """INSERT INTO servicerequests_defect (residentrequest_ptr_id, category, location, location_details, description,
                                                  master_key_allowed, has_pets, pets_details)
               SELECT id, 'water', 'kitchen', '', 'Hana vuotaa.', true, false, ''
               FROM servicerequests_residentrequest WHERE kind = 'defect'""",
            {"unused": 0},
        ),
        (
            "messages",
            """INSERT INTO servicerequests_message (residentrequest_ptr_id, category, subject, body, key_type, key_count)
               SELECT id, 'other', 'Kysymys', 'Hei, kysyisin asiasta.', '', NULL
               FROM servicerequests_residentrequest WHERE kind = 'message'""",
            {"unused": 0},
        ),
        (
            "timeline entries",
            """INSERT INTO servicerequests_timelineentry (kind, status, text, created_at, read_at, author_id, request_id)
               SELECT 'status', status, '', created_at + interval '1 day', NULL, NULL, id
               FROM servicerequests_residentrequest""",
            {"unused": 0},
        ),
        (
            "parking spaces",
            """INSERT INTO bookings_parkingspace (area, number, kind, monthly_fee, is_bookable, building_id)
               SELECT '', 'P' || s, (ARRAY['ordinary','ordinary','ev_charging','accessible'])[1 + s %% 4], 35, true,
                      (SELECT min(id) FROM tenancy_building) + (s - 1) %% %(buildings)s
               FROM generate_series(1, %(spaces)s) s""",
            {"spaces": int(2_500 * scale), "buildings": buildings},
        ),
        (
            "sauna slots",
            """INSERT INTO bookings_saunaslot (sauna, weekday, starts_at, length_minutes, monthly_fee, is_bookable, building_id)
               SELECT 'Talosauna', s %% 7, time '17:00' + (s %% 4) * interval '1 hour', 60, 15, true,
                      (SELECT min(id) FROM tenancy_building) + (s - 1) %% %(buildings)s
               FROM generate_series(1, %(slots)s) s""",
            {"slots": int(2_500 * scale), "buildings": buildings},
        ),
        (
            "booking requests",
            """INSERT INTO bookings_reservation (kind, electric_car, disability_permit, flexible, message, wanted_start,
                                                 starts_on, ends_on, notice_date, status, created_at, status_changed_at,
                                                 agreement_id, building_id, requested_by_id, tenant_id)
               SELECT CASE WHEN q %% 2 = 0 THEN 'parking' ELSE 'sauna' END, false, false, true, '',
                      date_trunc('month', current_date)::date + interval '1 month', NULL, NULL, NULL, 'requested',
                      now() - q * interval '1 minute', now(), ag.id, ap.building_id, pa.person_id, pa.person_id
               FROM generate_series(1, %(queued)s) q
               JOIN tenancy_rentalagreement ag ON ag.number = 'V' || (1 + (q * 7) %% %(current)s)
               JOIN tenancy_apartment ap ON ap.id = ag.apartment_id
               JOIN tenancy_agreementparty pa ON pa.agreement_id = ag.id""",
            {"queued": int(10_000 * scale), "current": current},
        ),
        (
            "requested items",
            """INSERT INTO bookings_reservationitem (held_from, held_until, parking_space_id, reservation_id, sauna_slot_id)
               SELECT NULL, NULL,
                      CASE WHEN r.kind = 'parking'
                           THEN (SELECT min(id) FROM bookings_parkingspace p WHERE p.building_id = r.building_id) END,
                      r.id,
                      CASE WHEN r.kind = 'sauna'
                           THEN (SELECT min(id) FROM bookings_saunaslot s WHERE s.building_id = r.building_id) END
               FROM bookings_reservation r""",
            {"unused": 0},
        ),
        (
            "outbox",
            """INSERT INTO heka_portal_outboxemail
                   (idempotency_key, "to", template, context, language, link_builder, link_args, site_url, status,
                    attempts, last_error, created_at, queued_at, link_issued_at, sent_at)
               SELECT 'bench:' || e, 'bench' || (1 + e %% %(persons)s) || '@heka.example',
                      (ARRAY['servicerequests_reply','tenancy_termination_notice','accounts_activation',
                             'bookings_termination_notice'])[1 + e %% 4],
                      '{}'::jsonb, 'fi', '', '{}'::jsonb, '',
                      CASE WHEN e <= %(waiting)s THEN 'pending' WHEN e %% 500 = 0 THEN 'failed' ELSE 'sent' END,
                      CASE WHEN e <= %(waiting)s THEN 0 ELSE 1 END, '',
                      now() - e * interval '1 minute', now() - e * interval '1 minute', NULL,
                      CASE WHEN e <= %(waiting)s OR e %% 500 = 0 THEN NULL ELSE now() - e * interval '1 minute' END
               FROM generate_series(1, %(emails)s) e""",
            {"emails": int(1_000_000 * scale), "waiting": int(1_000 * scale), "persons": persons},
        ),
        (
            "payments",
            """INSERT INTO tenancy_payment (invoice_id, paid_on, amount)
               SELECT id, due_on - 1, amount FROM tenancy_invoice WHERE id %% 10 <> 0""",
            {"unused": 0},
        ),
    ]


def _accounts(count: int) -> None:
    password = make_password(BENCH_PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO accounts_user (password, last_login, is_superuser, email, person_id, language, is_active,
                                          is_staff, date_joined)
               SELECT %s, NULL, false, p.email, p.id, p.preferred_language, true, false, now()
               FROM tenancy_person p
               WHERE p.id IN (SELECT person_id FROM tenancy_agreementparty ap
                              JOIN tenancy_rentalagreement ag ON ag.id = ap.agreement_id WHERE ag.ends_on IS NULL)
               ORDER BY p.id LIMIT %s""",
            [password, count],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is Heka's size; 0.1 is a tenth")
    parser.add_argument("--accounts", type=int, default=2_000, help="resident accounts to create for the benchmark")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark measures PostgreSQL.")
    started = time.perf_counter()
    with transaction.atomic():
        for name, sql, params in _steps(options.scale):
            step = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params or None)
                rows = cursor.rowcount
            print(f"{name:22} {rows:>10,} rows {time.perf_counter() - step:7.1f} s", flush=True)
        _accounts(options.accounts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"done in {time.perf_counter() - started:.0f} s; residents log in as bench<N>@heka.example / {BENCH_PASSWORD}")


if __name__ == "__main__":
    main()
