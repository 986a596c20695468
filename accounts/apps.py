from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Customer accounts")

    def ready(self):
        from kamapp.audit import audit_register

        from .models import CompanySettings, Customer, LedgerImport

        audit_register(CompanySettings)
        # An import's own record holds who, when, file, checksum and counts; the trail adds
        # each change of its status and counts.
        audit_register(
            LedgerImport,
            fields=["status", "valid_only", "rows_imported", "rows_duplicate", "rows_invalid"],
        )
        audit_register(Customer, fields=["competitor_targeted", "owner", "segment", "notes"])

        from . import middleware  # noqa: F401  (connects the sign-in language receiver)
        from .receivers import receivers_connect

        receivers_connect()
