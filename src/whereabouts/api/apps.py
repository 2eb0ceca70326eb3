from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "whereabouts.api"
    label = "api"
    verbose_name = "REST API"
