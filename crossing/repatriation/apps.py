from django.apps import AppConfig


class RepatriationConfig(AppConfig):
    name = "crossing.repatriation"
    label = "repatriation"
    verbose_name = "Repatriation"
    default_auto_field = "django.db.models.BigAutoField"
