from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "whereabouts.visits"
    label = "visits"
    verbose_name = "Visits"
