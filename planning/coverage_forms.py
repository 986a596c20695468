"""Planning's forms: the boxes' coverage and an account's own coverage."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kamapp.forms import PlainDecimalField, PlainIntegerField

from .models import AccountCoverage, BoxCoverage


class BoxCoverageForm(forms.ModelForm):
    """One box's defaults; the settings page shows one per box, prefixed with the box."""

    class Meta:
        model = BoxCoverage
        fields = ["mode", "cadence_days", "budget_person_days", "norm_person_days"]
        field_classes = {
            "cadence_days": PlainIntegerField,
            "budget_person_days": PlainDecimalField,
            "norm_person_days": PlainDecimalField,
        }


class AccountCoverageForm(forms.ModelForm):
    """An account's own mode and cadence (blank: its box's), the reason, its allocation."""

    class Meta:
        model = AccountCoverage
        fields = ["mode", "cadence_days", "reason", "person_days", "owner"]
        field_classes = {"cadence_days": PlainIntegerField, "person_days": PlainDecimalField}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [("", _("As its box")), *self.fields["mode"].choices[1:]]
        self.fields["cadence_days"].help_text = _("Blank: as its box.")
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("username")
        )
        self.fields["owner"].empty_label = _("The account's owner")
