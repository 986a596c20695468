"""Whitespace pages: the accounts × product groups matrix, one account's whitespace, and
the admin's product-group mapping."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Customer
from accounts.permissions import admin_required
from kamapp.forms import parse_id
from kamapp.htmx import render_page_or_partial

from ..models import WhitespaceSettings
from ..permissions import user_can_view_planning
from ..selectors import (
    product_codes_seen,
    product_group_rules,
)
from ..selectors import (
    whitespace_account as whitespace_account_read,
)
from ..selectors import (
    whitespace_matrix as whitespace_matrix_read,
)
from ..services import product_groups_save, rules_text


class ProductGroupsForm(forms.ModelForm):
    """The mapping as text (one rule a line) and the whitespace settings."""

    rules = forms.CharField(
        label=_("Product groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 60, "spellcheck": "false"}),
    )

    class Meta:
        model = WhitespaceSettings
        fields = ["fallback_prefix_length", "upsell_below_percent"]


def _require_view(request) -> None:
    if not user_can_view_planning(user=request.user):
        raise PermissionDenied(_("You may not see account planning."))


@require_GET
def whitespace_matrix(request):
    """Accounts × product groups: the key accounts by default, or all; one segment or all."""
    _require_view(request)
    scope = "all" if request.GET.get("scope") == "all" else "key"
    segment_id = parse_id(request.GET.get("segment"))
    context = whitespace_matrix_read(
        scope=scope, segment_id=segment_id, page=request.GET.get("page")
    )
    # The segment filter compares the chosen id as text, as it came in the query.
    context |= {"scope": scope, "segment_id": str(segment_id or "")}
    return render_page_or_partial(request, "planning/whitespace.html", "matrix", context)


@require_GET
def whitespace_account(request, pk: int):
    _require_view(request)
    customer = get_object_or_404(Customer.objects.select_related("segment", "owner"), pk=pk)
    context = whitespace_account_read(customer=customer) | {"customer": customer}
    return render(request, "planning/whitespace_account.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def product_groups(request):
    """The admin's product-group mapping and whitespace settings, with the period's codes and
    the group each falls into."""
    config = WhitespaceSettings.load()
    status = 200
    if request.method == "POST":
        form = ProductGroupsForm(request.POST, instance=WhitespaceSettings.load())
        if form.is_valid():
            try:
                product_groups_save(
                    user=request.user,
                    text=form.cleaned_data["rules"],
                    fallback_prefix_length=form.cleaned_data["fallback_prefix_length"],
                    upsell_below_percent=form.cleaned_data["upsell_below_percent"],
                )
            except ValidationError as exc:
                form.add_error("rules", exc)
            else:
                messages.success(request, _("Product groups saved."))
                return redirect("planning:product_groups")
        status = 422
    else:
        form = ProductGroupsForm(
            instance=config, initial={"rules": rules_text(rules=product_group_rules())}
        )
    context = {"form": form, "config": config} | product_codes_seen()
    return render(request, "planning/product_groups.html", context, status=status)
