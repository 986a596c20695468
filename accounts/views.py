"""Pages for customers: the dashboard, the customer list and one customer."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring.selectors import round_count

from .models import Customer, Segment
from .roles import Role, user_role
from .selectors import customer_get, customer_list, ledger_counts


@require_GET
def dashboard(request):
    counts = {**ledger_counts(), "rounds": round_count()}
    return render(request, "accounts/dashboard.html", {"counts": counts})


@require_GET
@permission_required("accounts.view_customer", raise_exception=True)
def customer_index(request):
    # Sales managers start on their own accounts; everyone can widen to all.
    scope = request.GET.get("scope") or (
        "mine" if user_role(request.user) == Role.SALES_MANAGER else "all"
    )
    segment_id = request.GET.get("segment")
    customers = customer_list(
        owner=request.user if scope == "mine" else None,
        segment_id=int(segment_id)
        if segment_id and segment_id.isascii() and segment_id.isdigit() and len(segment_id) < 19
        else None,
        query=request.GET.get("q", "").strip(),
    )
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "scope": scope,
        "segments": Segment.objects.all(),
        "segment_id": segment_id,
        "q": request.GET.get("q", ""),
    }
    template = "accounts/customer_index.html"
    if request.htmx:
        template += "#customer-table"
    return render(request, template, context)


@require_GET
@permission_required("accounts.view_customer", raise_exception=True)
def customer_detail(request, pk: int):
    try:
        customer = customer_get(pk=pk)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "accounts/customer_detail.html", {"customer": customer})
