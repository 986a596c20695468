"""The three roles of the app, held as Django groups, and how to tell a user's role.

Project level: the table grants permissions of every app (accounts and scoring), and both
apps ask a user's role, so neither owns it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .request_memo import request_memo, request_memo_forget_kind


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
    # Asked by the page's context and by permission checks: once per request.
    return request_memo(("role", user.pk), lambda: _role_of_groups(user))


def _role_of_groups(user) -> Role | None:
    names = {group.name for group in user.groups.all()}
    for role in (Role.ADMIN, Role.SELECTION_TEAM, Role.SALES_MANAGER):
        if GROUP_NAMES[role] in names:
            return role
    return None


def roles_memo_forget(**kwargs) -> None:
    """After any change of users' groups (a receiver), within the request that made it."""
    request_memo_forget_kind("role")


def role_group(role: Role):
    """The group that carries a role (created by a migration; recreated if it was removed)."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=GROUP_NAMES[role])[0]


# What each role may do, as model permissions ("app_label.codename"). The Admin role holds
# every permission. Sales managers rate only the accounts they own (checked per object:
# they lack `rate_any_account`); both other roles read all accounts and the matrix.
_READ_ACCOUNTS = [
    "accounts.view_customermetrics",
    "accounts.view_metricsrun",
    "accounts.view_tiersnapshot",
    "scoring.view_derivedrating",
    "accounts.view_customer",
    "accounts.view_segment",
    "accounts.view_competitor",
    "accounts.view_ledgerline",
]
_RATE = [
    "scoring.view_rating",
    "scoring.add_rating",
    "scoring.change_rating",
    "scoring.delete_rating",
]
ROLE_PERMISSIONS = {
    Role.SELECTION_TEAM: [
        *_READ_ACCOUNTS,
        *_RATE,
        "scoring.rate_any_account",
        "scoring.view_scoringround",
        "scoring.add_scoringround",
        "scoring.change_scoringround",
        "scoring.view_factor",
        "scoring.add_factor",
        "scoring.change_factor",
        "scoring.delete_factor",
        "scoring.view_roundmember",
        "scoring.add_roundmember",
        "scoring.change_roundmember",
        "scoring.delete_roundmember",
        "scoring.view_consensus",
        "scoring.add_consensus",
        "scoring.change_consensus",
        "scoring.delete_consensus",
        "scoring.view_decision",
        "scoring.add_decision",
        "scoring.change_decision",
        "planning.plan_any_account",
        "planning.view_boxcoverage",
    ],
    Role.SALES_MANAGER: [
        *_READ_ACCOUNTS,
        *_RATE,
        "scoring.view_scoringround",
        "scoring.view_factor",
        "planning.view_boxcoverage",
    ],
}


def role_groups_sync(*, group_model, permission_model) -> None:
    """Give each role's group exactly its permissions (Admin: all of them).

    Takes the models so the data migration can pass its historical ones. Permissions not
    created yet (a later app's, while migrating) are skipped; the sync after migrate
    completes them.
    """
    every = permission_model.objects.all()
    admin = group_model.objects.get_or_create(name=GROUP_NAMES[Role.ADMIN])[0]
    admin.permissions.set(every)
    for role, codes in ROLE_PERMISSIONS.items():
        group = group_model.objects.get_or_create(name=GROUP_NAMES[role])[0]
        wanted = {tuple(code.split(".")) for code in codes}
        group.permissions.set(
            [
                permission
                for permission in every.select_related("content_type")
                if (permission.content_type.app_label, permission.codename) in wanted
            ]
        )


def role_groups_sync_after_migrate(**kwargs) -> None:
    """Roles are defined here, in code: after each migrate (and each test database flush)
    the three groups are set to this table, so edits to them in the admin do not last."""
    from django.contrib.auth.models import Group, Permission

    role_groups_sync(group_model=Group, permission_model=Permission)
