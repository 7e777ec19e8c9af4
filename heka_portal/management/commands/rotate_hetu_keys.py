from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heka_portal.ops.keys import BATCH_SIZE, RotationProgress, rotate_hetu_keys, rows_left


class Command(BaseCommand):
    help = (
        "Rewrite identity-code hashes and encrypted copies made with an older key (a fallback) under the "
        "current keys, in batches; a stopped run goes on where it was when started again (OPS-5)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--max-batches", type=int, default=None, help="Stop after this many batches.")
        parser.add_argument("--check", action="store_true", help="Only count the rows left; exit 1 if there are any.")

    def handle(self, *args: Any, batch_size: int, max_batches: int | None, check: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not check:

            def report(progress: RotationProgress) -> None:
                self.stdout.write(f"  {progress.persons} person(s), {progress.applicants} applicant(s) rewritten")

            progress = rotate_hetu_keys(batch_size=batch_size, max_batches=max_batches, on_batch=report)
            self.stdout.write(
                f"Rewritten: {progress.persons} person(s), {progress.applicants} applicant(s); "
                f"{progress.unreadable} could not be read with any configured key."
            )
        left = rows_left()
        self.stdout.write(f"Left under older keys: {left['persons']} person(s), {left['applicants']} applicant(s).")
        if check and any(left.values()):
            raise CommandError("Rows remain under older keys: keep their keys configured as fallbacks.")
