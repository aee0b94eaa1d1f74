from django.core.management.base import BaseCommand, CommandError

from crossing.access import audit


class Command(BaseCommand):
    help = ("Verify the audit log's hash chain. Exits 0 when intact; otherwise exits 1 and names the first "
            "event that was edited, deleted, inserted or reordered.")

    def handle(self, *args, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(str(result), returncode=1)
        self.stdout.write(str(result))
