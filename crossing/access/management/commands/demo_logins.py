from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from crossing.access.personas import DEMO_PASSWORD, PERSONAS


class Command(BaseCommand):
    help = "Print the demo personas with their roles and the demo-only password."

    def handle(self, *args, **options):
        existing = set(get_user_model().objects.filter(username__in=[p.username for p in PERSONAS]).values_list("username", flat=True))
        if not existing:
            self.stdout.write("no demo personas: run 'crossing scenario generate' first")
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}; demo data only):")
        for p in PERSONAS:
            if p.username in existing:
                self.stdout.write(f"  {p.username:<18} {p.role or '(no role)':<26} {p.note}")
        if not settings.CROSSING_REQUIRE_2FA:
            self.stdout.write("Two-factor authentication is relaxed in this demo; production requires it.")
        self.stdout.write("")
