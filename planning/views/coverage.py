"""Coverage pages: the boxes' defaults (admins) and one account's own coverage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Customer
from accounts.permissions import admin_required

from ..coverage_forms import AccountCoverageForm, BoxCoverageForm
from ..permissions import user_can_edit_planning, user_can_view_planning
from ..selectors import account_coverage_get, account_coverage_stored, box_coverage_all
from ..services import account_coverage_set, box_coverages_set


@require_http_methods(["GET", "POST"])
@admin_required
def coverage_settings(request):
    forms = {
        box: BoxCoverageForm(request.POST or None, instance=coverage, prefix=box)
        for box, coverage in box_coverage_all().items()
    }
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        box_coverages_set(
            user=request.user, values={box: form.cleaned_data for box, form in forms.items()}
        )
        messages.success(request, _("Coverage of the boxes saved."))
        return redirect("planning:coverage_settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "planning/coverage_settings.html", {"forms": forms}, status=status)


@require_http_methods(["GET", "POST"])
def account_coverage(request, customer_pk: int):
    if not user_can_view_planning(user=request.user):
        raise PermissionDenied
    customer = get_object_or_404(Customer.objects.select_related("owner"), pk=customer_pk)
    may_edit = user_can_edit_planning(user=request.user, customer=customer)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied(_("You can only plan the accounts you own."))
    form = AccountCoverageForm(
        request.POST or None, instance=account_coverage_stored(customer=customer)
    )
    if request.method == "POST" and form.is_valid():
        account_coverage_set(user=request.user, customer=customer, **form.cleaned_data)
        messages.success(request, _("Coverage of the account saved."))
        return redirect("planning:account_coverage", customer_pk=customer.pk)
    context = {
        "customer": customer,
        "coverage": account_coverage_get(customer=customer),
        "form": form,
        "may_edit": may_edit,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "planning/account_coverage.html", context, status=status)
