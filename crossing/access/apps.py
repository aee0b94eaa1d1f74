from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "crossing.access"
    label = "access"
    verbose_name = "Access and audit"

    def ready(self):
        from crossing.access import schema  # noqa: F401  (registers the OpenAPI auth extension)
