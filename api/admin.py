"""Admins create and revoke each user's API tokens here; a new token is shown once."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiToken, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .services import api_token_create, api_token_revoke
from .webhooks import webhook_delivery_replay, webhook_endpoint_create, webhook_url_check


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


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhook_url_check(url)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "events", "is_active", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        endpoint = webhook_endpoint_create(
            name=obj.name, url=obj.url, events=form.cleaned_data["events"]
        )
        obj.pk = endpoint.pk
        obj.__dict__.update(endpoint.__dict__)
        messages.warning(
            request,
            _("The signing secret of %(name)s, shown only this once: %(secret)s")
            % {"name": endpoint.name, "secret": endpoint.secret},
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    readonly_fields = [
        "endpoint",
        "event",
        "payload",
        "status",
        "attempts",
        "response_status",
        "response_body",
        "error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
    ]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Send the selected deliveries again"))
    def replay(self, request, queryset):
        for delivery in queryset.select_related("endpoint"):
            webhook_delivery_replay(delivery=delivery)
        messages.success(request, _("The deliveries are queued again."))
