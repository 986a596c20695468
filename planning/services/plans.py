"""Writes of account plans: starting a year's plan (afresh or from last year's), its texts,
objectives, their dated values and actions, and the values a metrics recompute records."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Customer, MetricsRun

from ..models import AccountPlan, Objective, ObjectiveValue, PlanAction
from ..permissions import user_can_edit_planning
from ..selectors.plans import plan_get, plan_metric_values

# What "start from last year's plan" carries over besides the objectives.
PLAN_TEXTS = (
    "customer_goals",
    "our_goals",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
)
OBJECTIVE_FIELDS = ("title", "owner", "measure", "metric", "baseline", "target", "due_date")


def _check_edit(*, user, customer: Customer) -> None:
    if not user_can_edit_planning(user=user, customer=customer):
        raise PermissionDenied(_("You may not change this account's plan."))


def _a_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def plan_start(*, customer: Customer, year: int, user, from_last_year: bool = False) -> AccountPlan:
    """Start the account's plan for the year. From last year's plan: its goals and SWOT,
    and its objectives as drafts (due a year later, without their values or actions), so
    nothing is carried into this year without the team making it active. The relationship
    stage is judged afresh."""
    _check_edit(user=user, customer=customer)
    if plan_get(customer=customer, year=year) is not None:
        raise ValidationError(_("This account already has a plan for %(year)s.") % {"year": year})
    previous = plan_get(customer=customer, year=year - 1) if from_last_year else None
    if from_last_year and previous is None:
        raise ValidationError(
            _("There is no plan for %(year)s to start from.") % {"year": year - 1}
        )
    plan = AccountPlan(customer=customer, year=year, created_by=user, copied_from=previous)
    for name in PLAN_TEXTS if previous else ():
        setattr(plan, name, getattr(previous, name))
    plan.full_clean()
    plan.save()
    for old in previous.objectives.all() if previous else ():
        copy = Objective(plan=plan, status=Objective.Status.DRAFT)
        for name in OBJECTIVE_FIELDS:
            setattr(copy, name, getattr(old, name))
        copy.due_date = _a_year_later(old.due_date)
        copy.full_clean()
        copy.save()
    return plan


def plan_texts_save(*, plan: AccountPlan, user, **texts) -> AccountPlan:
    """The customer's goals, ours, the SWOT and the team's relationship stage."""
    _check_edit(user=user, customer=plan.customer)
    for name in (*PLAN_TEXTS, "relationship_stage"):
        if name in texts:
            setattr(plan, name, texts[name])
    plan.full_clean()
    plan.save()
    return plan


def objective_create(*, plan: AccountPlan, user, **fields) -> Objective:
    _check_edit(user=user, customer=plan.customer)
    objective = Objective(plan=plan, **fields)
    objective.full_clean()
    objective.save()
    return objective


def objective_update(*, objective: Objective, user, **fields) -> Objective:
    _check_edit(user=user, customer=objective.plan.customer)
    for name, value in fields.items():
        setattr(objective, name, value)
    objective.full_clean()
    objective.save()
    return objective


def objective_delete(*, objective: Objective, user) -> None:
    """Delete a draft the team does not carry on (one copied from last year's plan, say);
    an active or done objective stays on the plan, with its values, for the record."""
    _check_edit(user=user, customer=objective.plan.customer)
    if objective.status != Objective.Status.DRAFT:
        raise ValidationError(_("Only a draft objective can be deleted."))
    objective.delete()


def objective_value_record(
    *, objective: Objective, user, date: dt.date, value: Decimal
) -> ObjectiveValue:
    """A value typed by hand on a date (one a day: a second on the same day replaces it).
    An objective bound to a ledger metric takes its values from the recompute only."""
    _check_edit(user=user, customer=objective.plan.customer)
    if objective.metric:
        raise ValidationError(_("This objective is tracked from the ledger after each recompute."))
    entry = ObjectiveValue.objects.filter(objective=objective, date=date).first()
    return _value_put(objective=objective, entry=entry, date=date, value=value, user=user)[0]


def _value_put(
    *, objective: Objective, entry: ObjectiveValue | None, date: dt.date, value: Decimal, user
) -> tuple[ObjectiveValue, bool]:
    """The objective's value on the date (`entry`, the one stored for that day, if any),
    written unless it is already there; whether it was written."""
    if entry is None:
        entry = ObjectiveValue(objective=objective, date=date)
    elif entry.value == value:
        return entry, False
    entry.value = value
    entry.recorded_by = user
    entry.full_clean()
    entry.save()
    return entry, True


def action_create(*, objective: Objective, user, **fields) -> PlanAction:
    _check_edit(user=user, customer=objective.plan.customer)
    action = PlanAction(objective=objective, **fields)
    action.full_clean()
    action.save()
    return action


def action_update(*, action: PlanAction, user, **fields) -> PlanAction:
    _check_edit(user=user, customer=action.objective.plan.customer)
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def objectives_track(*, run: MetricsRun) -> int:
    """Record, for every active objective bound to a ledger metric, the metric's value from
    the run, dated at the end of its metrics period (a run over the same ledger leaves the
    same value on the same day). Returns how many values were written or changed."""
    if run.period_end is None:
        return 0
    objectives = list(
        Objective.objects.filter(status=Objective.Status.ACTIVE)
        .exclude(metric="")
        .select_related("plan")
    )
    values = plan_metric_values(
        customer_ids={o.plan.customer_id for o in objectives},
        period=(run.period_start, run.period_end),
    )
    stored = {
        entry.objective_id: entry
        for entry in ObjectiveValue.objects.filter(objective__in=objectives, date=run.period_end)
    }
    written = 0
    for objective in objectives:
        value = values.get(objective.plan.customer_id, {}).get(objective.metric)
        if value is None:
            continue
        written += _value_put(
            objective=objective,
            entry=stored.get(objective.pk),
            date=run.period_end,
            value=value,
            user=None,
        )[1]
    return written
