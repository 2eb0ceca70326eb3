from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "whereabouts.risk"
    label = "risk"
    verbose_name = "MAPPA meetings, orders and ARMS assessments"
