from django.apps import AppConfig


class ConfigConfig(AppConfig):
    # The project's own wiring (the Celery app) keeps one table: the dead letters.
    name = "config"
    label = "config"
    verbose_name = "Platform"
