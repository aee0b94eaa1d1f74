from django.core.management.base import BaseCommand

from crossing.access.models import Role


class Command(BaseCommand):
    help = "List every role with its grants as resource.action [scope]."

    def handle(self, *args, **options):
        for role in Role.objects.prefetch_related("grants"):
            flag = " (supervisor)" if role.is_supervisor else ""
            self.stdout.write(f"{role.name}{flag}: {role.description}")
            for g in role.grants.all():
                self.stdout.write(f"    {g.resource}.{g.action} [{g.scope}]")
