"""Grant each role group its model permissions, from a frozen copy of the roles table.

The live table is `kamapp.roles.ROLE_PERMISSIONS`, the project's definition of the roles;
it is applied after every migrate, so later changes to it (and later apps' permissions)
reach the groups there. This migration keeps the table as it was when it was written, so
it runs the same whatever becomes of the live module.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    "Selection team": [
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
    ],
    "Sales manager": [
        *_READ_ACCOUNTS,
        *_RATE,
        "scoring.view_scoringround",
        "scoring.view_factor",
    ],
}


def role_groups_sync(*, group_model, permission_model) -> None:
    """Give each role's group exactly its permissions (Admin: all of them)."""
    every = permission_model.objects.all()
    admin = group_model.objects.get_or_create(name="Admin")[0]
    admin.permissions.set(every)
    for name, codes in ROLE_PERMISSIONS.items():
        group = group_model.objects.get_or_create(name=name)[0]
        wanted = {tuple(code.split(".")) for code in codes}
        group.permissions.set(
            [
                permission
                for permission in every.select_related("content_type")
                if (permission.content_type.app_label, permission.codename) in wanted
            ]
        )


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    role_groups_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Admin", "Selection team", "Sales manager"]):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_ledgerline_customer_index"),
        ("scoring", "0004_rating_rate_any_account"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
