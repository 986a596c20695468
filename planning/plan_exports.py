"""An account plan as an Excel workbook: the plan's texts, its objectives with their
progress, the dated values and the actions, one table a sheet."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kamapp.spreadsheets import sheet_table_write

from .models import AccountPlan


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def plan_write_workbook(*, plan: AccountPlan, rows, stream) -> None:
    """Write the plan (`rows` from `plan_objective_rows`) to `stream` as .xlsx."""
    workbook = Workbook(write_only=True)
    texts = [
        (_("Account"), f"{plan.customer.code} {plan.customer.name}"),
        (_("Year"), plan.year),
        (_("Relationship stage"), plan.get_relationship_stage_display()),
        (_("The customer's goals"), plan.customer_goals),
        (_("Our goals"), plan.our_goals),
        (_("Strengths"), plan.strengths),
        (_("Weaknesses"), plan.weaknesses),
        (_("Opportunities"), plan.opportunities),
        (_("Threats"), plan.threats),
    ]
    sheet_table_write(workbook, title=_("Plan"), header=[_("Item"), _("Text")], rows=texts)
    sheet_table_write(
        workbook,
        title=_("Objectives"),
        header=[
            _("Objective"),
            _("Owner"),
            _("Measure"),
            _("Ledger metric"),
            _("Baseline"),
            _("Target"),
            _("Actual"),
            _("Progress"),
            _("Due date"),
            _("Status"),
        ],
        rows=[
            [
                row.objective.title,
                _name(row.objective.owner),
                row.objective.measure,
                row.objective.get_metric_display(),
                row.objective.baseline,
                row.objective.target,
                row.actual,
                None if row.progress is None else float(row.progress),
                row.objective.due_date,
                row.objective.get_status_display(),
            ]
            for row in rows
        ],
        number_formats={4: "#,##0.00", 5: "#,##0.00", 6: "#,##0.00", 7: "0.0%", 8: "yyyy-mm-dd"},
    )
    sheet_table_write(
        workbook,
        title=_("Values"),
        header=[_("Objective"), _("Date"), _("Value"), _("Source")],
        rows=[
            [
                row.objective.title,
                value.date,
                value.value,
                _name(value.recorded_by) if value.recorded_by_id else _("Ledger"),
            ]
            for row in rows
            for value in row.values
        ],
        number_formats={1: "yyyy-mm-dd", 2: "#,##0.00"},
    )
    sheet_table_write(
        workbook,
        title=_("Actions"),
        header=[_("Objective"), _("Action"), _("Owner"), _("Due date"), _("Status"), _("Overdue")],
        rows=[
            [
                row.objective.title,
                action.title,
                _name(action.owner),
                action.due_date,
                action.get_status_display(),
                _("Yes") if overdue else _("No"),
            ]
            for row in rows
            for action, overdue in row.actions
        ],
        number_formats={3: "yyyy-mm-dd"},
    )
    workbook.save(stream)
