"""Forms of the NPS survey import: the upload, and the mapping of columns to survey fields."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.ledger.forms import LedgerUploadForm
from accounts.ledger.messages import DATE_FORMAT_LABELS

from . import survey
from .survey_messages import FIELD_LABELS


class SurveyUploadForm(LedgerUploadForm):
    """The ledger's upload, refused past NPS_MAX_UPLOAD_BYTES."""

    file = forms.FileField(label=_("Survey answers (CSV or Excel)"))
    max_bytes_setting = "NPS_MAX_UPLOAD_BYTES"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One answer a row: account code, respondent, date, score from 0 to 10, comment. "
            "CSV with any delimiter, or .xlsx; at most %(size)s and %(rows)s rows, imported "
            "at once."
        ) % {
            "size": filesizeformat(settings.NPS_MAX_UPLOAD_BYTES),
            "rows": settings.NPS_MAX_ROWS,
        }


class SurveyMappingForm(forms.Form):
    """One choice of column per survey field, and the order of the dates."""

    date_format = forms.ChoiceField(label=_("Dates in the file"), choices=())

    def __init__(self, *args, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(column, column) for column in columns]
        for name in survey.FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=choices, required=name in survey.REQUIRED_FIELDS
            )
        self.fields["date_format"].choices = list(DATE_FORMAT_LABELS.items())
        self.order_fields([f"map_{name}" for name in survey.FIELDS])

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        return {name: data[f"map_{name}"] for name in survey.FIELDS if data.get(f"map_{name}")}
