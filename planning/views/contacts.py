"""The account's relationship pages: its map of people (org chart, gaps), the contact log,
and the forms that change them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Customer
from accounts.permissions import can_view_customers

from ..forms import ContactForm, ContactLogForm
from ..models import Contact
from ..permissions import user_can_edit_planning
from ..selectors import account_relationships, contact_log_list, last_contacts
from ..services import (
    contact_create,
    contact_deactivate,
    contact_log_record,
    contact_update,
    planning_check_editable,
)

LOG_PAGE_SIZE = 25


def _customer_or_404(pk: int) -> Customer:
    return get_object_or_404(Customer.objects.select_related("owner", "segment"), pk=pk)


def _errors_onto(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: by field where the form has it, else above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_saved(form, save) -> bool:
    """Whether the form is valid and `save(cleaned data)`, a service, took it; its refusal
    goes onto the form."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        _errors_onto(form, exc)
        return False
    return True


def _account_page(request, customer: Customer, *, contact_form=None, log_form=None, status=200):
    can_edit = user_can_edit_planning(user=request.user, customer=customer)
    context = {
        "customer": customer,
        "can_edit": can_edit,
        **account_relationships(customer=customer),
        "last_contact": last_contacts(customer_ids=[customer.pk]).get(customer.pk),
        "log_page": Paginator(contact_log_list(customer=customer), LOG_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
    }
    if can_edit:
        context["contact_form"] = contact_form or ContactForm(customer=customer)
        context["log_form"] = log_form or ContactLogForm(
            customer=customer, initial={"date": timezone.localdate()}
        )
    return render(request, "planning/account.html", context, status=status)


@require_GET
@can_view_customers
def account(request, customer_id: int):
    """An account's planning page, on its relationships tab."""
    return _account_page(request, _customer_or_404(customer_id))


@require_POST
@can_view_customers
def contact_new(request, customer_id: int):
    customer = _customer_or_404(customer_id)
    planning_check_editable(user=request.user, customer=customer)
    form = ContactForm(request.POST, customer=customer)
    if _form_saved(form, lambda data: contact_create(customer=customer, user=request.user, **data)):
        messages.success(
            request, _("%(name)s is on the map.") % {"name": form.cleaned_data["name"]}
        )
        return redirect("planning:account", customer_id=customer.pk)
    return _account_page(request, customer, contact_form=form, status=422)


@require_http_methods(["GET", "POST"])
@can_view_customers
def contact_edit(request, pk: int):
    contact = get_object_or_404(Contact.objects.select_related("customer"), pk=pk, active=True)
    customer = contact.customer
    planning_check_editable(user=request.user, customer=customer)
    form = ContactForm(
        request.POST or None,
        customer=customer,
        contact=contact,
        initial=ContactForm.initial_of(contact),
    )
    if request.method == "POST" and _form_saved(
        form, lambda data: contact_update(contact=contact, user=request.user, **data)
    ):
        messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["name"]})
        return redirect("planning:account", customer_id=customer.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "planning/contact_edit.html",
        {"customer": customer, "contact": contact, "form": form},
        status=status,
    )


@require_POST
@can_view_customers
def contact_deactivate_view(request, pk: int):
    contact = get_object_or_404(Contact.objects.select_related("customer"), pk=pk)
    try:
        moved = contact_deactivate(contact=contact, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        message = _("%(name)s is off the map.") % {"name": contact.name}
        if moved:
            message += " " + _("Their reports now report to %(boss)s.") % {
                "boss": contact.reports_to.name if contact.reports_to else _("nobody on the map")
            }
        messages.success(request, message)
    return redirect("planning:account", customer_id=contact.customer_id)


@require_POST
@can_view_customers
def contact_log_new(request, customer_id: int):
    customer = _customer_or_404(customer_id)
    planning_check_editable(user=request.user, customer=customer)
    form = ContactLogForm(request.POST, customer=customer)
    if _form_saved(
        form, lambda data: contact_log_record(customer=customer, user=request.user, **data)
    ):
        messages.success(request, _("Contact logged."))
        return redirect("planning:account", customer_id=customer.pk)
    return _account_page(request, customer, log_form=form, status=422)
