from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "crossing.intake"
    label = "intake"
    verbose_name = "Field intake"
