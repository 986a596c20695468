"""The account plan pages: the plans of a year, one account's plan (edited in place with
htmx), its Excel export and the printable plans for the account review meeting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Customer, CustomerMetrics
from kamapp.forms import parse_id
from kamapp.htmx import render_page_or_partial, wants_partial

from .. import plan_exports
from ..models import AccountPlan, Objective, PlanAction, RelationshipStage
from ..permissions import user_can_edit_planning, user_can_view_planning
from ..plan_charts import objective_figure
from ..plan_forms import (
    ActionForm,
    ActionStatusForm,
    ObjectiveForm,
    ObjectiveValueForm,
    PlanTextsForm,
)
from ..selectors import (
    key_account_decisions,
    plan_get,
    plan_index_rows,
    plan_objective_rows,
    plan_years,
    relationship_stage_suggested,
)
from ..services import (
    action_create,
    action_update,
    objective_create,
    objective_delete,
    objective_update,
    objective_value_record,
    plan_start,
    plan_texts_save,
)

TEMPLATE = "planning/plan_detail.html"


def _check_view(user) -> None:
    if not user_can_view_planning(user=user):
        raise PermissionDenied(_("You may not see account plans."))


def _check_edit(user, plan: AccountPlan) -> None:
    if not user_can_edit_planning(user=user, customer=plan.customer):
        raise PermissionDenied(_("You may not change this account's plan."))


def _year(value, default: int) -> int:
    year = parse_id(value)
    return year if year and 2000 <= year <= 2100 else default


def _plan_context(*, plan: AccountPlan, today) -> dict:
    rows = plan_objective_rows(plan=plan, today=today)
    for row in rows:
        row.figure = objective_figure(objective=row.objective, values=row.values)
        row.figure_id = f"objective-figure-{row.objective.pk}"
        row.edit_form = ObjectiveForm(instance=row.objective, prefix=f"o{row.objective.pk}")
    return {"plan": plan, "customer": plan.customer, "rows": rows, "today": today}


def _detail_context(*, customer: Customer, year: int, user) -> dict:
    today = timezone.localdate()
    plan = plan_get(customer=customer, year=year)
    metrics = CustomerMetrics.objects.filter(customer=customer).first()
    suggested = relationship_stage_suggested(metrics=metrics)
    context = {
        "customer": customer,
        "year": year,
        "plan": plan,
        "years": plan_years(customer=customer),
        "decision": key_account_decisions().get(customer.pk),
        "suggested_stage": suggested,
        "suggested_stage_label": RelationshipStage(suggested).label if suggested else None,
        "can_edit": user_can_edit_planning(user=user, customer=customer),
        "has_last_year": plan_get(customer=customer, year=year - 1) is not None,
        "objective_form": ObjectiveForm(
            initial={"status": Objective.Status.ACTIVE, "owner": customer.owner_id}
        ),
        # Drawn once under every objective: no ids, each field inside its label.
        "value_form": ObjectiveValueForm(initial={"date": today}, auto_id=False),
        "action_form": ActionForm(auto_id=False),
    }
    if plan is not None:
        context |= _plan_context(plan=plan, today=today)
        context["texts_form"] = PlanTextsForm(instance=plan)
    return context


@require_GET
def plan_index(request):
    """The key accounts of the latest decided round and the other planned accounts."""
    _check_view(request.user)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    code = request.GET.get("code", "").strip()
    if code:  # any account's plan, on request, by its code
        customer = Customer.objects.filter(code__iexact=code).first()
        if customer is not None:
            return redirect("planning:plan", customer_id=customer.pk, year=year)
        messages.error(request, _("No account has the code %(code)s.") % {"code": code})
    context = {"year": year, "rows": plan_index_rows(year=year, today=today), "code": code}
    return render(request, "planning/plan_index.html", context)


@require_GET
def plan(request, customer_id: int, year: int):
    _check_view(request.user)
    customer = get_object_or_404(
        Customer.objects.select_related("owner", "segment"), pk=customer_id
    )
    context = _detail_context(customer=customer, year=year, user=request.user)
    return render(request, TEMPLATE, context)


@require_POST
def plan_start_view(request, customer_id: int, year: int):
    """Start the year's plan, afresh or (`from=last_year`) from last year's."""
    customer = get_object_or_404(Customer, pk=customer_id)
    from_last_year = request.POST.get("from") == "last_year"
    try:
        plan_start(customer=customer, year=year, user=request.user, from_last_year=from_last_year)
    except ValidationError as error:  # already started (a second click), or no last year
        messages.error(request, " ".join(error.messages))
    return redirect("planning:plan", customer_id=customer.pk, year=year)


def _answer(request, *, plan: AccountPlan, partial: str, form=None, status: int = 200):
    """After a change: the changed part for htmx, else the plan page again (a redirect, or
    the page with the refused form's errors)."""
    if status == 200 and not wants_partial(request):
        return redirect("planning:plan", customer_id=plan.customer_id, year=plan.year)
    context = _detail_context(customer=plan.customer, year=plan.year, user=request.user)
    if form is not None:
        context["form_errors"] = [
            f"{form.fields[name].label}: {error}" if name in form.fields else error
            for name, errors in form.errors.items()
            for error in errors
        ]
        if partial == "texts":
            context["texts_form"] = form
        elif isinstance(form, ObjectiveForm) and not form.prefix:
            context["objective_form"] = form  # the new objective as typed, with its errors
    return render_page_or_partial(request, TEMPLATE, partial, context, status=status)


def _save(request, *, plan: AccountPlan, partial: str, form, write):
    """Validate the form and hand its data to the service; refused: the errors, 422."""
    _check_edit(request.user, plan)
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    status = 422 if form.errors else 200
    return _answer(
        request, plan=plan, partial=partial, form=form if form.errors else None, status=status
    )


@require_POST
def plan_texts(request, pk: int):
    plan = get_object_or_404(AccountPlan.objects.select_related("customer"), pk=pk)
    return _save(
        request,
        plan=plan,
        partial="texts",
        form=PlanTextsForm(request.POST),
        write=lambda data: plan_texts_save(plan=plan, user=request.user, **data),
    )


@require_POST
def objective_add(request, pk: int):
    plan = get_object_or_404(AccountPlan.objects.select_related("customer"), pk=pk)
    return _save(
        request,
        plan=plan,
        partial="objectives",
        form=ObjectiveForm(request.POST),
        write=lambda data: objective_create(plan=plan, user=request.user, **data),
    )


def _objective(pk: int) -> Objective:
    return get_object_or_404(Objective.objects.select_related("plan__customer"), pk=pk)


@require_POST
def objective_edit(request, pk: int):
    objective = _objective(pk)
    return _save(
        request,
        plan=objective.plan,
        partial="objectives",
        form=ObjectiveForm(
            request.POST, instance=Objective(plan=objective.plan), prefix=f"o{objective.pk}"
        ),
        write=lambda data: objective_update(objective=objective, user=request.user, **data),
    )


@require_POST
def objective_delete_view(request, pk: int):
    objective = _objective(pk)
    plan = objective.plan
    _check_edit(request.user, plan)
    try:
        objective_delete(objective=objective, user=request.user)
    except ValidationError as error:
        context = _detail_context(customer=plan.customer, year=plan.year, user=request.user)
        context["form_errors"] = error.messages
        return render_page_or_partial(request, TEMPLATE, "objectives", context, status=422)
    return _answer(request, plan=plan, partial="objectives")


@require_POST
def objective_value_add(request, pk: int):
    objective = _objective(pk)
    return _save(
        request,
        plan=objective.plan,
        partial="objectives",
        form=ObjectiveValueForm(request.POST),
        write=lambda data: objective_value_record(objective=objective, user=request.user, **data),
    )


@require_POST
def action_add(request, pk: int):
    objective = _objective(pk)
    return _save(
        request,
        plan=objective.plan,
        partial="objectives",
        form=ActionForm(request.POST),
        write=lambda data: action_create(objective=objective, user=request.user, **data),
    )


@require_POST
def action_status(request, pk: int):
    action = get_object_or_404(
        PlanAction.objects.select_related("objective__plan__customer"), pk=pk
    )
    return _save(
        request,
        plan=action.objective.plan,
        partial="objectives",
        form=ActionStatusForm(request.POST),
        write=lambda data: action_update(action=action, user=request.user, **data),
    )


@require_GET
def plan_export(request, pk: int):
    """The plan as an Excel workbook: the plan's texts, its objectives and their actions."""
    _check_view(request.user)
    plan = get_object_or_404(AccountPlan.objects.select_related("customer"), pk=pk)
    rows = plan_objective_rows(plan=plan, today=timezone.localdate())
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"plan-{plan.customer.code}-{plan.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    plan_exports.plan_write_workbook(plan=plan, rows=rows, stream=response)
    return response


@require_GET
def plan_print(request, year: int):
    """The year's plans, one account a page, for the account review meeting; `?customer=`
    prints one account's."""
    _check_view(request.user)
    today = timezone.localdate()
    plans = AccountPlan.objects.filter(year=year).select_related("customer__owner")
    customer_id = parse_id(request.GET.get("customer"))
    if customer_id is not None:
        plans = plans.filter(customer_id=customer_id)
    pages = [
        {"plan": p, "rows": plan_objective_rows(plan=p, today=today)}
        for p in plans.order_by("customer__name", "customer__code")
    ]
    context = {
        "year": year,
        "pages": pages,
        "today": today,
        "back": reverse("planning:plan_index") + f"?year={year}",
    }
    return render(request, "planning/plan_print.html", context)
