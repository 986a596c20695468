from django.apps import AppConfig
from django.db.models.signals import post_migrate

from .roles import role_groups_sync_after_migrate


class KamappConfig(AppConfig):
    """The project itself: failed background tasks, the audit trail's helpers, the roles."""

    name = "kamapp"

    def ready(self):
        # Connected without a sender, so its last run comes after every app's permissions
        # exist; a test database flush (which empties the groups) runs it too.
        post_migrate.connect(role_groups_sync_after_migrate, dispatch_uid="role_groups_sync")
