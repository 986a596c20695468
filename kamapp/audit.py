"""The audit trail (django-auditlog): readable rows for pages, and logs written by hand.

Which models and fields are tracked is declared in each app's `AppConfig.ready`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet


def audit_register(model: type[Model], *, fields: list[str] | None = None, exclude=()) -> None:
    """Track a model's own columns (all but the id, or those named) in the audit trail.

    Named explicitly because auditlog otherwise also lists reverse relations as fields.
    """
    names = fields or [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in exclude
    ]
    auditlog.register(model, include_fields=names)


@dataclass(frozen=True)
class AuditChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    """One recorded change: who, when, what, and each field's old and new value.

    A concealed row says that something changed, never to what: no values, and `what`
    only as the caller's `conceal` described it.
    """

    timestamp: datetime
    actor: str
    action: str
    subject: str
    what: str
    changes: list[AuditChange]
    concealed: bool = False


def _display(field, value) -> str:
    if value is None or value == "None":
        return "—"
    if isinstance(value, list | dict):  # JSON fields, e.g. a derived factor's bands
        return json.dumps(value)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def _changes(entry: LogEntry, model: type[Model] | None) -> list[AuditChange]:
    changes = []
    for name, (old, new) in (entry.changes or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = str(field.verbose_name) if field is not None else name
        changes.append(AuditChange(label, _display(field, old), _display(field, new)))
    return changes


def audit_rows(
    *, entries: QuerySet, conceal: Callable[[LogEntry], str | None] | None = None
) -> list[AuditRow]:
    """Rows for a page, with field labels and choice labels, in no query per row.

    `conceal` is asked about each entry: None shows it in full; a text conceals its values
    and stands for the entry's description, which may hold them (`object_repr`).
    """
    rows = []
    for entry in entries.select_related("actor", "content_type"):
        model = entry.content_type.model_class()
        actor = entry.actor
        hidden = conceal(entry) if conceal is not None else None
        rows.append(
            AuditRow(
                timestamp=entry.timestamp,
                actor=(actor.get_full_name() or actor.get_username()) if actor else "",
                action="" if hidden is not None else entry.get_action_display(),
                subject=str(model._meta.verbose_name) if model else "",
                what=entry.object_repr if hidden is None else hidden,
                changes=[] if hidden is not None else _changes(entry, model),
                concealed=hidden is not None,
            )
        )
    return rows


def audit_log_save(*, old: Model | None, new: Model) -> LogEntry | None:
    """Log a save made with auditlog's signals disabled, against the state the caller read.

    For writes that pass through a temporary state the signals would take for the old value.
    """
    changes = model_instance_diff(old, new, use_json_for_changes=True)
    if not changes:
        return None
    action = LogEntry.Action.CREATE if old is None else LogEntry.Action.UPDATE
    return LogEntry.objects.log_create(new, action=action, changes=changes)
