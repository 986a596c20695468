"""Validators shared by the accounts models."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CURRENCY_CODE = RegexValidator(
    r"^[A-Z]{3}$", _("A currency is three capital letters (ISO 4217), such as USD.")
)
