"""Forms of the ledger import pages: the upload, and the mapping of columns to fields."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import CompanySettings
from accounts.models.validators import CURRENCY_CODE

from . import parsing
from .messages import DATE_FORMAT_LABELS, FIELD_LABELS, limit_message, mapping_problems_message


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_("Sales ledger (CSV or Excel)"))
    # The setting that holds the largest file accepted (another kind of upload names its own).
    max_bytes_setting = "LEDGER_MAX_UPLOAD_BYTES"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Invoice lines: CSV with any delimiter (UTF-8 or Latin-1), or .xlsx; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.LEDGER_MAX_UPLOAD_BYTES)}

    def clean_file(self):
        """Refused on its size alone, before the import stores or reads it."""
        uploaded = self.cleaned_data["file"]
        limit = getattr(settings, self.max_bytes_setting)
        if uploaded.size > limit:
            raise forms.ValidationError(
                limit_message("too_large", found=uploaded.size, limit=limit), code="too_large"
            )
        return uploaded


class LedgerMappingForm(forms.Form):
    """One choice of column per ledger field, the date order, and what to do with errors."""

    date_format = forms.ChoiceField(label=_("Dates in the file"), choices=())
    currency = forms.CharField(
        label=_("Currency of the file"),
        max_length=3,
        required=False,
        help_text=_(
            "For lines whose own currency column is blank. Lines in another currency than "
            "the company's are converted at the month's exchange rate."
        ),
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"), required=False
    )
    mapping_name = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("Offered again for the next file with the same columns."),
    )

    def __init__(self, *args, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("— not in the file —"))] + [(column, column) for column in columns]
        for name in parsing.FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=FIELD_LABELS[name],
                choices=choices,
                required=name in parsing.REQUIRED_FIELDS,
            )
        self.fields["date_format"].choices = list(DATE_FORMAT_LABELS.items())
        self.order_fields([f"map_{name}" for name in parsing.FIELDS])

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        return {name: data[f"map_{name}"] for name in parsing.FIELDS if data.get(f"map_{name}")}

    def clean_currency(self) -> str:
        """Blank: the company's own currency."""
        currency = self.cleaned_data["currency"].strip().upper()
        if not currency:
            return CompanySettings.load().currency
        CURRENCY_CODE(currency)
        return currency

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            mapping = self.mapping()
            problems = parsing.mapping_problems(mapping, self.columns)
            if problems:
                suggestions = parsing.mapping_suggestions(mapping, self.columns)
                raise forms.ValidationError(mapping_problems_message(problems, suggestions))
        return cleaned
