"""Admins create and revoke each user's API tokens here; a new token is shown once."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiToken
from .services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["read_only", "revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "read_only", "expires_at"]
        return [
            "user",
            "name",
            "prefix",
            "read_only",
            "expires_at",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A token's owner and powers are fixed once it exists: revoke it and make another.
        return [
            "user",
            "prefix",
            "read_only",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "expires_at"])
            return
        api_token, raw = api_token_create(
            user=obj.user,
            name=obj.name,
            read_only=obj.read_only,
            expires_at=obj.expires_at,
            created_by=request.user,
        )
        obj.pk = api_token.pk
        obj.__dict__.update(api_token.__dict__)
        messages.warning(
            request,
            _("The token for %(name)s, shown only this once: %(token)s")
            % {"name": api_token.name, "token": raw},
        )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for api_token in queryset:
            api_token_revoke(api_token=api_token)
        messages.success(request, _("The tokens are revoked."))
