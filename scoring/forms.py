"""Forms for rounds, factor sets, the matrix filters and the sensitivity controls; ratings
are parsed by `services.rating_parse`."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Competitor, Customer, Tier
from kamapp.forms import IsoDateInput, PlainDecimalField, PlainIntegerField, parse_float, parse_id

from . import engine
from .models import (
    STRENGTH_METRICS,
    Consideration,
    Derivation,
    DerivedMetric,
    Factor,
    ScoringRound,
)


class RoundCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=IsoDateInput)
    copy_factors_from = forms.ModelChoiceField(
        label=_("Start from the factors of"),
        queryset=ScoringRound.objects.all(),
        required=False,
        empty_label=_("No round: an empty factor set"),
    )
    foresight = forms.BooleanField(
        label=_("Rate where accounts will be in three years"),
        required=False,
        help_text=_(
            "In the meeting the team also agrees each attractiveness factor three years ahead."
        ),
    )


class RoundForesightForm(forms.Form):
    """The round's three-year option, on its team and stage page."""

    foresight = RoundCreateForm.base_fields["foresight"]


class ReviewCompareForm(forms.Form):
    """The review's other round: one of `rounds` (decided or archived), by default the
    previous one."""

    compare = forms.ModelChoiceField(
        label=_("Compare with"), queryset=ScoringRound.objects.none(), empty_label=None
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compare"].queryset = rounds


class MeetingSubsetForm(forms.Form):
    """Which of the meeting's accounts to step through (`subsets`: value → label, the first
    the default)."""

    subset = forms.ChoiceField(label=_("Step through"), required=False)
    undecided = forms.BooleanField(label=_("Undecided only"), required=False)

    def __init__(self, *args, subsets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subset"].choices = list(subsets.items())

    def clean_subset(self):
        return self.cleaned_data["subset"] or next(iter(self.fields["subset"].choices))[0]


class FactorForm(forms.Form):
    id = PlainIntegerField(required=False, widget=forms.HiddenInput)
    position = PlainIntegerField(
        label=_("Order"),
        min_value=0,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow-number"}),
    )
    name = forms.CharField(label=_("Factor"), max_length=120)
    weight = PlainDecimalField(
        label=_("Weight"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "weight", "step": "any"}),
    )
    consideration = forms.ChoiceField(
        label=_("Consideration"), choices=[("", "—"), *Consideration.choices], required=False
    )
    metric = forms.ChoiceField(
        label=_("Derived from"),
        choices=[("", _("Rated by people")), *DerivedMetric.choices],
        required=False,
    )
    derivation = forms.ChoiceField(
        label=_("Derived by"), choices=[("", "—"), *Derivation.choices], required=False
    )
    bands = forms.CharField(
        label=_("Bands"),
        required=False,
        help_text=_("Lowest value = rating, separated by semicolons, e.g. 0=2; 1000000=5"),
    )
    rubric_low = forms.CharField(label=_("0 means"), max_length=255, required=False)
    rubric_mid = forms.CharField(label=_("5 means"), max_length=255, required=False)
    rubric_high = forms.CharField(label=_("10 means"), max_length=255, required=False)

    def __init__(self, *args, axis: str = "attractiveness", **kwargs):
        super().__init__(*args, **kwargs)
        # The ledger's metrics rate attractiveness; the customer's view of us rates strength.
        strength = axis == "strength"
        metrics = [
            (v, label) for v, label in DerivedMetric.choices if (v in STRENGTH_METRICS) == strength
        ]
        self.fields["metric"].choices = [("", _("Rated by people")), *metrics]

    def clean_bands(self) -> list[list[float]]:
        """'0=2; 1000000=5' → [[0, 2], [1000000, 5]], each rating from 0 to 10."""
        text = self.cleaned_data.get("bands", "").strip()
        bands = []
        for part in filter(None, (piece.strip() for piece in text.split(";"))):
            low, _sep, rating = part.partition("=")
            # The lowest value has no decimal comma: "1,5" would read as a thousands mark.
            band = [None if "," in low else parse_float(low), parse_float(rating)]
            if None in band:
                raise forms.ValidationError(
                    _("“%(band)s” is not a band: write lowest value = rating, e.g. 1000000=5."),
                    params={"band": part[:40]},
                )
            if not 0 <= band[1] <= 10:
                raise forms.ValidationError(
                    _("Band “%(band)s”: the rating must be from 0 to 10."),
                    params={"band": part[:40]},
                )
            bands.append(band)
        return sorted(bands)

    def clean(self):
        data = super().clean()
        if data.get("metric") and not data.get("derivation"):
            self.add_error("derivation", _("Choose how the rating is derived."))
        if (
            data.get("derivation") == Derivation.BANDS
            and data.get("metric")
            and not data.get("bands")
        ):
            self.add_error("bands", _("Give at least one band: lowest value = rating."))
        return data


def formset_disable(formset) -> None:
    """Every field of every form read-only (`disabled`), for someone who may only read."""
    for form in formset:
        for field in form.fields.values():
            field.disabled = True


class BaseFactorFormSet(forms.BaseFormSet):
    def __init__(self, *args, axis: str, **kwargs):
        self.axis = axis
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "axis": self.axis}

    def factor_rows(self) -> list[dict]:
        """The rows to save, in the order people gave them; blank extra rows dropped."""
        rows = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or (not data.get("id") and not data.get("name")):
                continue
            rows.append({**data, "delete": data.get("DELETE", False), "_index": index})
        rows.sort(
            key=lambda row: (row["position"] if row["position"] is not None else 999, row["_index"])
        )
        return rows

    def clean(self):
        super().clean()
        if self.axis != "attractiveness":
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("name") and not data.get("DELETE") and not data.get("consideration"):
                form.add_error(
                    "consideration", _("Choose the consideration this factor comes from.")
                )


FactorFormSet = forms.formset_factory(
    FactorForm, formset=BaseFactorFormSet, extra=1, can_delete=True
)


def factor_initial(factors: list[Factor]) -> list[dict]:
    return [
        {
            "id": factor.pk,
            "position": index + 1,
            "name": factor.name,
            "weight": factor.weight,
            "consideration": factor.consideration,
            "rubric_low": factor.rubric_low,
            "rubric_mid": factor.rubric_mid,
            "rubric_high": factor.rubric_high,
            "metric": factor.metric,
            "derivation": factor.derivation,
            "bands": "; ".join(f"{low:g}={rating:g}" for low, rating in factor.bands),
        }
        for index, factor in enumerate(factors)
    ]


def posted_cell(data, *, scoring_round: ScoringRound) -> tuple:
    """The (customer, factor, competitor) a rating or consensus POST names; 404 if unknown."""

    def number(key: str) -> int | None:
        return parse_id(data.get(key))

    customer = get_object_or_404(Customer, pk=number("customer"))
    factor = get_object_or_404(Factor, pk=number("factor"), round=scoring_round)
    competitor_id = number("competitor")
    competitor = get_object_or_404(Competitor, pk=competitor_id) if competitor_id else None
    return customer, factor, competitor


MATRIX_SORTS = ("name", "attractiveness", "strength", "box", "tier", "revenue")
MATRIX_DEFAULT_SORT = "-attractiveness"


@dataclass(frozen=True)
class MatrixFilters:
    """The matrix page's filters and table order, as its query string gives them; the
    image exports read the same query, so a download shows what the page shows."""

    segment: int | None = None
    owner: int | None = None
    box: str = ""
    tier: str = ""
    sort: str = MATRIX_DEFAULT_SORT
    foresight: bool = False  # the arrows to the position in three years

    @property
    def scope(self) -> dict:
        """The keyword arguments of `round_matrix` that select these accounts."""
        return {
            "segment_id": self.segment,
            "owner_id": self.owner,
            "tier": self.tier or None,
            "box": self.box or None,
        }

    @property
    def query(self) -> str:
        """The filters (not the order) as a query string, for a link that keeps them."""
        values = {"segment": self.segment, "owner": self.owner, "box": self.box, "tier": self.tier}
        values["foresight"] = "1" if self.foresight else ""
        return urlencode({key: value for key, value in values.items() if value})


def matrix_filters_parse(params) -> MatrixFilters:
    """The filters in a query; anything unknown or malformed means "all"."""
    box, tier, sort = params.get("box"), params.get("tier"), params.get("sort") or ""
    return MatrixFilters(
        segment=parse_id(params.get("segment")),
        owner=parse_id(params.get("owner")),
        box=box if box in engine.BOXES else "",
        tier=tier if tier in Tier.values else "",
        sort=sort if sort.removeprefix("-") in MATRIX_SORTS else MATRIX_DEFAULT_SORT,
        foresight=params.get("foresight") == "1",
    )


class SensitivityForm(forms.Form):
    """The sensitivity controls. A value outside its range is refused with a message that
    names the control and the range; the page then keeps the round's own value for it."""

    RANGES = {"share": (0, 100), "a_cut": (0, 10), "s_cut": (0, 10)}

    share = PlainDecimalField(label=_("Weight on realistic factors"), required=False)
    a_cut = PlainDecimalField(label=_("Attractiveness cut-off"), required=False)
    s_cut = PlainDecimalField(label=_("Relative strength cut-off"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.RANGES.items():
            field = self.fields[name]
            message = _("%(field)s must be a number from %(low)s to %(high)s.") % {
                "field": field.label,
                "low": low,
                "high": high,
            }
            field.error_messages = {**field.error_messages, "invalid": message}
            field.range_message = message

    def clean(self):
        data = super().clean()
        for name, (low, high) in self.RANGES.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, self.fields[name].range_message)
        return data

    def values(self) -> dict[str, float | None]:
        """Each control's valid value as a float; None where it is blank or refused."""
        self.is_valid()
        data = self.cleaned_data
        return {name: None if data.get(name) is None else float(data[name]) for name in self.RANGES}
