"""An account's page in a round: why it sits where it does, and its rating cells."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.models import Customer

from ..permissions import can_view_rounds
from ..selectors import round_account_detail
from .base import round_or_404


@require_GET
@can_view_rounds
@permission_required("accounts.view_customer", raise_exception=True)
def round_account(request, pk: int, customer_id: int):
    """Why an account sits where it does, and (for raters) its rating cells."""
    customer = get_object_or_404(
        Customer.objects.select_related("segment", "owner"), pk=customer_id
    )
    context = round_account_detail(
        scoring_round=round_or_404(pk), customer=customer, user=request.user
    )
    return render(request, "scoring/round_account.html", context)
