"""Pages for customers: the list, one customer, the Pareto page, the recompute panel."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kamapp.forms import parse_id
from kamapp.htmx import render_page_or_partial
from kamapp.roles import Role, user_role
from kamapp.sorting import sort_columns

from .exports import customers_csv_write, customers_xlsx_write
from .extensions import customer_columns_fill, customer_panels_fill
from .middleware import user_language_remember
from .models import CompanySettings, Customer, MetricsRun, Segment, Stage, Tier
from .permissions import admin_required, can_view_customers
from .selectors import (
    SIGNALS,
    customer_export_rows,
    customer_get,
    customer_list,
    customer_tier_history,
    metrics_run_latest,
    metrics_run_panel,
    pareto_figure,
    tier_summary,
)
from .services import metrics_recompute_request, user_language_set

# Sent with the panel when the run it waited for is over; the dashboard's tier cards and
# moves listen for it and draw themselves again (core/dashboard.html).
METRICS_RECOMPUTED_EVENT = "metricsRecomputed"


def _run_status(request, since: str):
    context = metrics_run_panel(user=request.user, since=since)
    response = render(request, "accounts/_run_status.html", context)
    if context["finished"]:
        response["HX-Trigger"] = METRICS_RECOMPUTED_EVENT
    return response


@require_GET
def metrics_run_status(request):
    return _run_status(request, request.GET.get("since", ""))


@require_POST
@admin_required
def metrics_recompute_start(request):
    since = timezone.now()
    metrics_recompute_request(trigger=MetricsRun.Trigger.MANUAL, started_by_id=request.user.pk)
    if request.htmx:
        return _run_status(request, since.isoformat())
    messages.success(request, _("Recompute started."))
    return redirect("dashboard")


def _customer_filters(request) -> dict:
    # Sales managers start on their own accounts; everyone can widen to all.
    scope = request.GET.get("scope") or (
        "mine" if user_role(request.user) == Role.SALES_MANAGER else "all"
    )
    segment_id = request.GET.get("segment")
    return {
        "scope": scope,
        "segment_id": segment_id,
        "q": request.GET.get("q", ""),
        "tier": request.GET.get("tier", "") if request.GET.get("tier") in Tier.values else "",
        "stage": request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
        "signal": request.GET.get("signal", "") if request.GET.get("signal") in SIGNALS else "",
        "sort": request.GET.get("sort", "") or "name",
    }


def _filtered_customers(request, filters: dict):
    segment_id = filters["segment_id"]
    return customer_list(
        owner=request.user if filters["scope"] == "mine" else None,
        segment_id=parse_id(segment_id),
        query=filters["q"].strip(),
        tier=filters["tier"],
        stage=filters["stage"],
        signal=filters["signal"],
        sort=filters["sort"],
    )


def _sort_columns(sort: str) -> list[dict]:
    labels = {
        "code": _("Code"),
        "name": _("Name"),
        "rank": _("Rank"),
        "tier": _("Tier"),
        "revenue": _("Value"),
        "months": _("Months active"),
        "growth": _("Growth"),
        "stage": _("Stage"),
    }
    # Money, months and growth read best largest first; the rest A to Z.
    return sort_columns(sort=sort, labels=labels, largest_first=("revenue", "months", "growth"))


@require_GET
@can_view_customers
def customer_index(request):
    filters = _customer_filters(request)
    customers = _filtered_customers(request, filters)
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    # Read once: the other apps' columns are filled for exactly these rows.
    page.object_list = list(page.object_list)
    context = {
        **filters,
        "page": page,
        "extra_columns": customer_columns_fill(customers=page.object_list, user=request.user),
        "segments": Segment.objects.all(),
        "tiers": Tier.choices,
        "stages": Stage.choices,
        "signals": _signal_choices(),
        "columns": _sort_columns(filters["sort"]),
        "measure": CompanySettings.load().get_measure_display(),
    }
    return render_page_or_partial(
        request, "accounts/customer_index.html", "customer-table", context
    )


def _signal_choices() -> list[tuple[str, str]]:
    return [
        ("large_buyer", _("Large continuous buyer")),
        ("pareto_top", _("Pareto top")),
        ("loyal", _("Loyal")),
        ("targeted", _("Targeted by a competitor")),
        ("late_payer", _("Late payer")),
    ]


@require_GET
@can_view_customers
def customer_export(request):
    export_format = request.GET.get("format", "csv")
    if export_format not in ("csv", "xlsx"):
        raise Http404
    rows = customer_export_rows(customers=_filtered_customers(request, _customer_filters(request)))
    stamp = timezone.localdate().isoformat()
    if export_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        customers_csv_write(rows=rows, stream=response)
    else:
        buffer = io.BytesIO()
        customers_xlsx_write(rows=rows, stream=buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.{export_format}"'
    return response


@require_GET
@can_view_customers
def customer_detail(request, pk: int):
    try:
        customer = customer_get(pk=pk)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "customer": customer,
        "metrics": getattr(customer, "metrics", None),
        "history": customer_tier_history(customer_id=customer.pk),
        "latest_run": metrics_run_latest(),
        "panels": customer_panels_fill(customer=customer, user=request.user),
    }
    return render(request, "accounts/customer_detail.html", context)


@require_GET
@can_view_customers
def pareto(request):
    company = CompanySettings.load()
    latest = metrics_run_latest()
    context = {
        "latest_run": latest,
        "tiers": tier_summary(),
        "company": company,
        "figure": pareto_figure(measure_label=company.get_measure_display().lower())
        if latest
        else None,
    }
    return render(request, "accounts/pareto.html", context)


@require_POST
def language_set(request):
    """The top bar's language switcher: remembered for the user, the session and the browser."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    user_language_set(user=request.user, language=language)
    user_language_remember(request=request, language=language)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("dashboard")
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response
