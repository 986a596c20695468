"""The audit trail (django-auditlog): readable rows for pages, and logs written by hand.

Which models and fields are tracked is declared in each app's `AppConfig.ready`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, DateField, DateTimeField, Model, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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


# Verbs of the trail, in the reader's language (auditlog's own labels have no Indonesian).
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("created"),
    LogEntry.Action.UPDATE: gettext_lazy("changed"),
    LogEntry.Action.DELETE: gettext_lazy("deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("viewed"),
}


def _display(field, value, labels: dict[str, str] | None = None) -> str:
    """A stored value as the reader reads it: choice labels, yes or no, dates in the
    language's format, all at read time."""
    if value is None or value == "None":
        return "—"
    if isinstance(value, list | dict):  # JSON fields, e.g. a derived factor's bands
        return json.dumps(value)
    if labels and value in labels:
        return str(labels[value])
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, BooleanField) and str(value) in ("True", "False"):
        return str(_("Yes") if str(value) == "True" else _("No"))
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        try:
            return date_format(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _changes(entry: LogEntry, model: type[Model] | None, labels: dict) -> list[AuditChange]:
    changes = []
    for name, (old, new) in (entry.changes or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = str(field.verbose_name) if field is not None else name
        values = labels.get(name)
        changes.append(
            AuditChange(label, _display(field, old, values), _display(field, new, values))
        )
    return changes


def _live_labels(entries: list[LogEntry]) -> dict[tuple[int, str], str]:
    """What each entry is about, named now in the reader's language: the object's
    `audit_label()` (or its text) while it exists, one query per kind of object. A model
    lists the relations its label reads in `audit_select_related`."""
    wanted: dict[int, set[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.content_type_id, set()).add(entry.object_pk)
    labels = {}
    for entry in entries:
        model = entry.content_type.model_class()
        pks = wanted.pop(entry.content_type_id, None)
        if model is None or pks is None:
            continue
        related = getattr(model, "audit_select_related", ())
        objects = model._default_manager.select_related(*related).filter(pk__in=pks)
        for obj in objects:
            label = obj.audit_label() if hasattr(obj, "audit_label") else str(obj)
            labels[entry.content_type_id, str(obj.pk)] = label
    return labels


def audit_rows(
    *,
    entries: QuerySet,
    conceal: Callable[[LogEntry], str | None] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> list[AuditRow]:
    """Rows for a page, with field labels and choice labels, in no query per row. The
    texts are made at read time in the reader's language: the verb, what the entry is
    about (the stored description only once its object is gone), the values.

    `conceal` is asked about each entry: None shows it in full; a text conceals its values
    and stands for the entry's description, which may hold them (`object_repr`).
    `labels` names the stored values of fields without choices ({field: {value: label}}).
    """
    entries = list(entries.select_related("actor", "content_type"))
    live = _live_labels(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        actor = entry.actor
        hidden = conceal(entry) if conceal is not None else None
        what = live.get((entry.content_type_id, entry.object_pk), entry.object_repr)
        rows.append(
            AuditRow(
                timestamp=entry.timestamp,
                actor=(actor.get_full_name() or actor.get_username()) if actor else "",
                action="" if hidden is not None else str(ACTION_LABELS.get(entry.action, "")),
                subject=str(model._meta.verbose_name) if model else "",
                what=what if hidden is None else hidden,
                changes=[] if hidden is not None else _changes(entry, model, labels or {}),
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
