"""The link of the e-mails that bench/outbox.py sends: a token signed per recipient at sending, as
the links of real e-mails are (heka_portal/outbox.py), so that the bench pays for making it."""

from datetime import datetime

from heka_portal.http import site_url
from heka_portal.outbox import register_link_builder, signed_at

BENCH_LINK_BUILDER = "bench_outbox_link"


@register_link_builder(BENCH_LINK_BUILDER)
def bench_link(args: dict, *, issued_at: datetime) -> str:
    return site_url(f"/bench/notice/{signed_at({'n': args['n']}, salt='bench.outbox', at=issued_at)}/")
