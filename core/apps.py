from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pages that bring the apps together; it depends on accounts and scoring, never the reverse."""

    name = "core"
