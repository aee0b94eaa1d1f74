from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "crossing.registry"
    label = "registry"
    verbose_name = "Registry"
