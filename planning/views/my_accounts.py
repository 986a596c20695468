"""My accounts: a sales manager's accounts with what managing them needs at a glance."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import CompanySettings, Tier
from kamapp.htmx import render_page_or_partial
from kamapp.roles import Role, user_role
from kamapp.sorting import sort_columns
from scoring.selectors import decision_choices

from ..permissions import user_can_view_planning
from ..selectors import (
    NO_DECISION,
    my_accounts,
    my_accounts_filters_clean,
    my_accounts_glance,
    plan_glance,
)

PAGE_SIZE = 50


@require_GET
def my_account_index(request):
    if not user_can_view_planning(user=request.user):
        raise PermissionDenied
    # Sales managers start on their own accounts; the team and admins on all of them.
    default_scope = "mine" if user_role(request.user) == Role.SALES_MANAGER else "all"
    filters = my_accounts_filters_clean(
        scope=request.GET.get("scope") or default_scope,
        decision=request.GET.get("decision", ""),
        tier=request.GET.get("tier", ""),
        sort=request.GET.get("sort", ""),
        query=request.GET.get("q", ""),
    )
    found = my_accounts(user=request.user, **filters)
    page = Paginator(found["customers"], PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    decision_labels = dict(decision_choices())
    plans = plan_glance(customer_ids=[c.pk for c in page], year=today.year, today=today)
    my_accounts_glance(customers=page, today=today)
    for customer in page:
        customer.plan_glance = plans.get(customer.pk)
        customer.decision_label = decision_labels.get(customer.decision_choice or "")
    labels = {
        "code": _("Code"),
        "name": _("Name"),
        "decision": _("Decision"),
        "tier": _("Tier"),
        "revenue": CompanySettings.load().get_measure_display(),
        "stage": _("Stage"),
        "last_contact": _("Last contact"),
    }
    context = {
        **filters,
        "round": found["round"],
        "page": page,
        "columns": sort_columns(sort=filters["sort"], labels=labels, largest_first=("revenue",)),
        "decisions": [*decision_labels.items(), (NO_DECISION, _("No decision"))],
        "tiers": Tier.choices,
        "year": today.year,
    }
    return render_page_or_partial(request, "planning/my_accounts.html", "account-table", context)
