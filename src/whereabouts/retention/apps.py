from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "whereabouts.retention"
    label = "retention"
    verbose_name = "Retention and review (MoPI)"
    default_auto_field = "django.db.models.BigAutoField"
