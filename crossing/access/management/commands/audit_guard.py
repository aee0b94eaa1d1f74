from django.core.management.base import BaseCommand

from crossing.access import audit


class Command(BaseCommand):
    help = "Install database triggers that refuse UPDATE and DELETE on the audit table (run after migrate)."

    def handle(self, *args, **options):
        audit.install_append_only_guards()
        self.stdout.write("audit table is append-only")
