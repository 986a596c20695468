from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo company and its `seed_demo` command; no product app depends on it."""

    name = "demo"
