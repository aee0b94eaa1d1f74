from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "crossing.network"
    label = "network"
    verbose_name = "Network intelligence"
