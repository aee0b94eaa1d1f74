from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "crossing.core"
    label = "core"
    verbose_name = "Crossing core"
