"""Customers, their segments and the competitors they also buy from."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Texts people type (notes, rationales): room for a few paragraphs, not for a pasted file
# that would bloat every page and export showing it. Enforced by forms and full_clean().
LONG_TEXT_MAX = 4000


def long_text(verbose_name) -> models.TextField:
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )


class Segment(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = long_text(_("description"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name


class Competitor(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    notes = long_text(_("notes"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")

    def __str__(self):
        return self.name


class Customer(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
    )
    competitor_targeted = models.BooleanField(
        _("targeted by a competitor"),
        default=False,
        help_text=_("Set by a sales manager when a competitor is courting this customer."),
    )
    notes = long_text(_("notes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The ledger import that created it, if one did: an import that fails after storing a
    # chunk removes the customers it created that nothing has used since.
    created_by_import = models.ForeignKey(
        "accounts.LedgerImport",
        verbose_name=_("created by import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so an account's history is found by its id."""
        return {"customer": self.pk}
