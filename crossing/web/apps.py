from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "crossing.web"
    label = "web"
    verbose_name = "Web interface"
