from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "whereabouts.compliance"
    label = "compliance"
    verbose_name = "Compliance"
