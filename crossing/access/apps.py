from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "crossing.access"
    label = "access"
    verbose_name = "Access and audit"
