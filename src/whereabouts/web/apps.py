from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "whereabouts.web"
    label = "web"
