from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "whereabouts.web"
    label = "web"

    def ready(self) -> None:
        from . import govuk

        govuk.install()  # compile each GOV.UK component once (see web/govuk.py)
