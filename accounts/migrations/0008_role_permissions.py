"""Grant each role group its model permissions, from the table in `accounts.roles`.

The table is the project's definition of the roles; it is applied again after every
migrate, so later apps' permissions (consensus, decisions, imports) join it there.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import role_groups_sync


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
