"""Pages for admins to import sales ledgers: upload, mapping and preview, progress, report."""

from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from accounts.models import CompanySettings, LedgerImport
from kamapp.htmx import render_page_or_partial

from ..permissions import admin_required
from . import parsing, selectors, services
from .forms import LedgerMappingForm, LedgerUploadForm
from .messages import (
    DATE_FORMAT_LABELS,
    DECIMAL_MARK_LABELS,
    FIELD_LABELS,
    delete_refused_message,
    error_message,
    file_error_message,
)


def _import_or_404(pk: int) -> LedgerImport:
    try:
        return selectors.ledger_import_get(pk=pk)
    except LedgerImport.DoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
@admin_required
def import_index(request):
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ledger_import = services.ledger_import_create(
            uploaded_file=form.cleaned_data["file"], user=request.user
        )
        return redirect("ledger:import_mapping", pk=ledger_import.pk)
    context = {"form": form, "imports": selectors.ledger_import_list()}
    return render(request, "accounts/import_index.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def import_mapping(request, pk: int):
    ledger_import = _import_or_404(pk)
    if ledger_import.status != LedgerImport.Status.UPLOADED:
        return redirect("ledger:import_detail", pk=pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    try:
        guess = selectors.ledger_import_preview(ledger_import=ledger_import)
    except parsing.LedgerFileError as exc:
        services.ledger_import_refuse(ledger_import=ledger_import, message=file_error_message(exc))
        return redirect("ledger:import_detail", pk=pk)
    form = LedgerMappingForm(data, columns=guess.columns, initial=_initial(guess))
    preview = guess
    if data is not None and form.is_valid():
        if request.method == "POST":
            try:
                services.ledger_import_configure(
                    ledger_import=ledger_import,
                    mapping=form.mapping(),
                    date_format=form.cleaned_data["date_format"],
                    valid_only=form.cleaned_data["valid_only"],
                    columns=guess.columns,
                    mapping_name=form.cleaned_data["mapping_name"],
                    currency=form.cleaned_data["currency"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("ledger:import_detail", pk=pk)
        else:
            preview = selectors.ledger_import_preview(
                ledger_import=ledger_import,
                mapping=form.mapping(),
                date_format=form.cleaned_data["date_format"],
            )
    context = {
        "ledger_import": ledger_import,
        "earlier": selectors.ledger_import_earlier(ledger_import=ledger_import),
        "form": form,
        "preview": preview,
        "no_match": not guess.mapping,
        "mapping_rows": [
            {"field": form[f"map_{name}"], "suggestions": guess.suggestions.get(name, [])}
            for name in parsing.FIELDS
        ],
        "preview_rows": _preview_rows(preview),
        "preview_columns": _preview_columns(preview),
    }
    return render_page_or_partial(request, "accounts/import_mapping.html", "preview", context)


def _initial(preview: selectors.ImportPreview) -> dict:
    initial = {f"map_{name}": column for name, column in preview.mapping.items()}
    initial["date_format"] = preview.date_format
    initial["currency"] = CompanySettings.load().currency
    return initial


def _preview_columns(preview: selectors.ImportPreview) -> list[dict]:
    """The file's columns in order; a mapped one carries how it is read and stored."""
    stored = {column.column: column for column in preview.stored}
    return [
        {"name": name, "stored": stored.get(name), "reading": _reading(stored.get(name))}
        for name in preview.columns
    ]


def _reading(column) -> str:
    """How a mapped column is read, in words: its decimal mark or its date order."""
    if column is None:
        return ""
    label = str(FIELD_LABELS[column.field])
    if column.kind == "number":
        if column.mark is None:
            return _("%(field)s: whole numbers") % {"field": label}
        words = {"mark": DECIMAL_MARK_LABELS[column.mark], "field": label}
        if column.mark_seen:
            return _("%(field)s: %(mark)s, detected") % words
        return _("%(field)s: %(mark)s, as the file's other number columns") % words
    if column.kind == "date" and column.date_order:
        words = {"order": DATE_FORMAT_LABELS[column.date_order], "field": label}
        if column.date_order_ambiguous:
            return _("%(field)s: %(order)s? The dates could be either way") % words
        return _("%(field)s: %(order)s, detected") % words
    if column.codes_normalised:
        return _("%(field)s: codes written 14646.0 are stored as 14646") % {"field": label}
    return label


def _preview_rows(preview: selectors.ImportPreview) -> list[dict]:
    stored = {column.column: column for column in preview.stored}
    rows = []
    for offset, cells in enumerate(preview.rows):
        row = []
        for name, text in zip(preview.columns, cells, strict=True):
            column = stored.get(name)
            cell = {"text": text, "mapped": column is not None}
            if column is not None and offset < len(column.values):
                problem, value = column.problems[offset], column.values[offset]
                cell |= {
                    "kind": column.kind,
                    "value": value,
                    "problem": error_message(problem) if problem else "",
                }
                if column.kind == "number" and value is not None:
                    # As many decimals as the value has (up to the 4 kept), with grouping.
                    places = -Decimal(repr(value)).normalize().as_tuple().exponent
                    cell["places"] = f"{max(places, 0)}g"
            row.append(cell)
        rows.append({"number": preview.first_row + offset, "cells": row})
    return rows


@require_GET
@admin_required
def import_detail(request, pk: int):
    ledger_import = _import_or_404(pk)
    return render(request, "accounts/import_detail.html", _detail_context(ledger_import))


@require_GET
@admin_required
def import_progress(request, pk: int):
    """The polled fragment: the bar while running, then the report (and polling stops)."""
    ledger_import = _import_or_404(pk)
    html = render_to_string(
        "accounts/import_detail.html#status", _detail_context(ledger_import), request=request
    )
    if ledger_import.is_finished:
        return HttpResponseStopPolling(html)
    return HttpResponse(html)


def _detail_context(ledger_import: LedgerImport) -> dict:
    errors = [{**error, "message": error_message(error["code"])} for error in ledger_import.errors]
    progress = None
    if not ledger_import.is_finished:
        progress = selectors.ledger_import_progress(ledger_import=ledger_import)
    return {"ledger_import": ledger_import, "errors": errors, "progress": progress}


@require_GET
@admin_required
def import_errors(request, pk: int):
    ledger_import = _import_or_404(pk)
    if not ledger_import.errors_file:
        raise Http404(_("This import has no errors."))
    name = f"{Path(ledger_import.file_name).stem}-errors.csv"
    return FileResponse(
        ledger_import.errors_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="text/csv",
    )


@require_POST
@admin_required
def import_retry(request, pk: int):
    """Run a failed or rejected import's file again (a rejected one: its valid rows only)."""
    ledger_import = _import_or_404(pk)
    try:
        again = services.ledger_import_retry(ledger_import=ledger_import, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ledger:import_detail", pk=pk)
    return redirect("ledger:import_detail", pk=again.pk)


@require_http_methods(["GET", "POST"])
@admin_required
def import_delete(request, pk: int):
    """Ask, then delete an abandoned, failed or rejected import (never one done or under way)."""
    ledger_import = _import_or_404(pk)
    if not ledger_import.can_delete:
        messages.error(request, delete_refused_message(ledger_import))
        return redirect("ledger:import_detail", pk=pk)
    if request.method == "GET":
        return render(request, "accounts/import_delete.html", {"ledger_import": ledger_import})
    try:
        services.ledger_import_delete(ledger_import=ledger_import, user=request.user)
    except ValidationError as exc:  # queued meanwhile, on another request
        messages.error(request, " ".join(exc.messages))
        return redirect("ledger:import_detail", pk=pk)
    deleted = _("The import of “%(name)s” was deleted.") % {"name": ledger_import.file_name}
    messages.success(request, deleted)
    return redirect("ledger:import_index")
