"""The account plan's forms: its texts, an objective, a dated value, an action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kamapp.forms import IsoDateInput, PlainDecimalField

from .models import AccountPlan, Objective, PlanAction
from .selectors import planning_users


class PlanTextsForm(forms.ModelForm):
    class Meta:
        model = AccountPlan
        fields = [
            "customer_goals",
            "our_goals",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "relationship_stage",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:-1]}


def _user_name(user) -> str:
    return user.get_full_name() or user.username


class _OwnedForm(forms.ModelForm):
    """An owner chosen from the users with a role."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = planning_users()
        self.fields["owner"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class ObjectiveForm(_OwnedForm):
    baseline = PlainDecimalField(label=_("Baseline"), max_digits=18, decimal_places=2)
    target = PlainDecimalField(label=_("Target"), max_digits=18, decimal_places=2)

    class Meta:
        model = Objective
        fields = ["title", "owner", "measure", "metric", "baseline", "target", "due_date", "status"]
        widgets = {"due_date": IsoDateInput}
        labels = {"metric": _("Tracked from the ledger")}
        help_texts = {"metric": _("Leave empty to type the values by hand.")}


class ObjectiveValueForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=IsoDateInput)
    value = PlainDecimalField(label=_("Value"), max_digits=18, decimal_places=2)


class ActionForm(_OwnedForm):
    class Meta:
        model = PlanAction
        fields = ["title", "owner", "due_date", "status"]
        widgets = {"due_date": IsoDateInput}


class ActionStatusForm(forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["status"]
