from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import TaskFailure

User = get_user_model()


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    """Read-only: a failure is a record of what happened; admins may clear old ones."""

    list_display = ["failed_at", "task_name", "exception", "retries", "task_id"]
    list_filter = ["task_name", "failed_at"]
    search_fields = ["task_name", "task_id", "exception"]
    date_hierarchy = "failed_at"
    readonly_fields = [field.name for field in TaskFailure._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=_("Deactivate the selected users (keeps their ratings)"))
def users_deactivate(modeladmin, request, queryset):
    count = queryset.update(is_active=False)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d user deactivated: they can no longer sign in; their ratings stay.",
            "%(count)d users deactivated: they can no longer sign in; their ratings stay.",
            count,
        )
        % {"count": count},
    )


class UserAdmin(DjangoUserAdmin):
    """Users who rated are deactivated, not deleted: a delete would change decided rounds,
    so the database refuses it (PROTECT) and this action does what the admin meant."""

    actions = [users_deactivate]


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
