"""Factor-set pages: both axes' factors and weights, and the running sum as they are typed."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import FactorFormSet, factor_initial, formset_disable
from ..models import Axis
from ..selectors import round_factors
from ..services import factor_set_save, factor_set_version
from .base import round_or_404


@require_http_methods(["GET", "POST"])
@permission_required("scoring.view_factor", raise_exception=True)
def factor_set(request, pk: int):
    """Both axes' factor sets; the team and admins edit, everyone else reads."""
    scoring_round = round_or_404(pk)
    may_change = request.user.has_perm("scoring.change_factor")
    # Shown as a form to those who may change it while the round is open; read-only else.
    can_edit = may_change and not scoring_round.is_locked
    factors = round_factors(scoring_round=scoring_round)
    formsets = {
        axis: FactorFormSet(prefix=axis, axis=axis, initial=factor_initial(factors[axis]))
        for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH)
    }
    if not can_edit:
        for formset in formsets.values():
            formset_disable(formset)
    # Each axis's form carries the version of the factors it was drawn from; a form sent
    # back keeps the one it came with, so a stale form stays stale until it is reloaded.
    versions = {axis: factor_set_version(factors=factors[axis]) for axis in formsets}
    errors = {}
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        axis = request.POST.get("axis")
        if axis not in formsets:
            raise Http404
        formset = FactorFormSet(request.POST, prefix=axis, axis=axis)
        formsets[axis] = formset
        versions[axis] = request.POST.get("version", "")
        if formset.is_valid():
            try:
                factor_set_save(
                    scoring_round=scoring_round,
                    axis=axis,
                    factors=formset.factor_rows(),
                    version=versions[axis],
                )
            except ValidationError as exc:
                errors[axis] = exc.messages
            else:
                messages.success(request, _("%(axis)s factors saved.") % {"axis": Axis(axis).label})
                return redirect("scoring:factor_set", pk=scoring_round.pk)
    sections = [
        {
            "axis": axis,
            "label": Axis(axis).label,
            "formset": formset,
            "errors": errors.get(axis, []),
            "version": versions[axis],
            "total": _weights_total(formset),
        }
        for axis, formset in formsets.items()
    ]
    # A POST that reaches this point did not save: say so to htmx and to tests.
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "scoring/factor_set.html",
        {"round": scoring_round, "sections": sections, "can_edit": can_edit},
        status=status,
    )


def _weights_total(formset) -> Decimal:
    """Sum of the weights as typed (bound) or as stored (unbound), ignoring removed rows."""
    total = Decimal(0)
    if not formset.is_bound:
        return sum((Decimal(row["weight"]) for row in formset.initial or []), Decimal(0))
    for index in range(formset.total_form_count()):
        prefix = f"{formset.prefix}-{index}"
        if formset.data.get(f"{prefix}-DELETE"):
            continue
        try:
            weight = Decimal(formset.data.get(f"{prefix}-weight") or 0)
            if weight.is_finite():
                total += weight
        except (ArithmeticError, ValueError):  # not a number, or one beyond any sum
            continue
    return total


@require_POST
@permission_required("scoring.change_factor", raise_exception=True)
def factor_weight_sum(request, pk: int, axis: str):
    """The running sum of an axis's weights, as they are typed."""
    if axis not in Axis.values:
        raise Http404
    formset = FactorFormSet(request.POST, prefix=axis, axis=axis)
    return render(
        request,
        "scoring/factor_set.html#weight-sum",
        {"section": {"axis": axis, "total": _weights_total(formset)}},
    )
