"""The three roles of the app, held as Django groups, and how to tell a user's role."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SELECTION_TEAM = "selection_team", _("Selection team")
    SALES_MANAGER = "sales_manager", _("Sales manager")


# Group names are stored in the database; they stay in English and are translated on display.
GROUP_NAMES = {
    Role.ADMIN: "Admin",
    Role.SELECTION_TEAM: "Selection team",
    Role.SALES_MANAGER: "Sales manager",
}


def user_role(user) -> Role | None:
    """The user's strongest role (admin over selection team over sales manager)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = {group.name for group in user.groups.all()}
    for role in (Role.ADMIN, Role.SELECTION_TEAM, Role.SALES_MANAGER):
        if GROUP_NAMES[role] in names:
            return role
    return None


def role_group(role: Role):
    """The group that carries a role (created by a migration; recreated if it was removed)."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=GROUP_NAMES[role])[0]


def roles_required(*roles: Role):
    """View decorator: 403 unless the signed-in user holds one of the roles."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if user_role(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
