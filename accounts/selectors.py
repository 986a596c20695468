"""Reads of customers and the ledger."""

from django.db.models import Q, QuerySet

from .models import Customer, LedgerLine


def customer_list(*, owner=None, segment_id: int | None = None, query: str = "") -> QuerySet:
    customers = Customer.objects.select_related("segment", "owner")
    if owner is not None:
        customers = customers.filter(owner=owner)
    if segment_id:
        customers = customers.filter(segment_id=segment_id)
    if query:
        customers = customers.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return customers.order_by("name")


def customer_get(*, pk: int) -> Customer:
    return Customer.objects.select_related("segment", "owner").get(pk=pk)


def ledger_counts() -> dict[str, int]:
    return {
        "customers": Customer.objects.count(),
        "ledger_lines": LedgerLine.objects.count(),
    }
