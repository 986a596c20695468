"""The resources page: allocations per box and owner against the budget, and the accounts
serviced more or less than their box asks."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..permissions import user_can_configure_planning, user_can_view_planning
from ..selectors import CONTACT_WINDOW_DAYS, SERVICE_BAND, resources_summary


@require_GET
def resources(request):
    if not user_can_view_planning(user=request.user):
        raise PermissionDenied
    context = {
        "resources": resources_summary(),
        "band_percent": int(SERVICE_BAND * 100),
        "window_days": CONTACT_WINDOW_DAYS,
        "may_configure": user_can_configure_planning(user=request.user),
    }
    return render(request, "planning/resources.html", context)
