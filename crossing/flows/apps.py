from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "crossing.flows"
    label = "flows"
    verbose_name = "Money flows"
