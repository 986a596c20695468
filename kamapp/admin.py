from django.contrib import admin

from .models import TaskFailure


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
