"""The NPS pages: the survey import (admins), each account's NPS over time, and the list of
accounts with their latest NPS and detractor risk."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.ledger import parsing
from accounts.ledger.messages import file_error_message
from accounts.models import Customer
from accounts.permissions import admin_required

from .. import selectors, services, survey
from ..models import SurveyImport
from ..nps_forms import SurveyMappingForm, SurveyUploadForm
from ..permissions import user_can_configure_planning, user_can_view_planning
from ..survey_messages import survey_error_message, survey_mapping_message

PREVIEW_ROWS = 5


def _import_or_404(pk: int) -> SurveyImport:
    try:
        return selectors.survey_import_get(pk=pk)
    except SurveyImport.DoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
@admin_required
def nps_import(request):
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        survey_import = services.survey_import_create(
            uploaded_file=form.cleaned_data["file"], user=request.user
        )
        return redirect("planning:nps_import_mapping", pk=survey_import.pk)
    context = {"form": form, "imports": selectors.survey_import_list()}
    return render(request, "planning/nps_import.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def nps_import_mapping(request, pk: int):
    survey_import = _import_or_404(pk)
    if survey_import.status != SurveyImport.Status.UPLOADED:
        return redirect("planning:nps_import_detail", pk=pk)
    try:
        table = survey.survey_read(
            survey_import.file.path, limits=services.survey_limits(), preview_rows=PREVIEW_ROWS
        )
    except parsing.LedgerFileError as exc:
        services.survey_import_refuse(survey_import=survey_import, message=file_error_message(exc))
        return redirect("planning:nps_import_detail", pk=pk)
    columns = table.columns
    guess = survey.survey_mapping_guess(columns)
    initial = {f"map_{name}": column for name, column in guess.items()}
    if "answered_on" in guess:
        initial["date_format"] = parsing.date_order_detect(table.frame[guess["answered_on"]])[0]
    form = SurveyMappingForm(request.POST or None, columns=columns, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_import_run(
                survey_import=survey_import,
                mapping=form.mapping(),
                date_format=form.cleaned_data["date_format"],
                columns=columns,
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("planning:nps_import_detail", pk=pk)
    context = {
        "survey_import": survey_import,
        "earlier": selectors.survey_import_earlier(survey_import=survey_import),
        "form": form,
        "columns": columns,
        "rows": table.frame.head(PREVIEW_ROWS).fillna("").to_numpy().tolist(),
        "hint": _mapping_hint(guess, columns),
    }
    return render(request, "planning/nps_import_mapping.html", context)


def _mapping_hint(guess: dict[str, str], columns: list[str]) -> str:
    """What the guess could not map, naming the file's closest columns for each field."""
    problems = survey.survey_mapping_problems(guess, columns)
    if not problems:
        return ""
    return survey_mapping_message(problems, survey.survey_mapping_suggestions(guess, columns))


@require_GET
@admin_required
def nps_import_detail(request, pk: int):
    survey_import = _import_or_404(pk)
    errors = [
        {**error, "message": survey_error_message(error["code"])} for error in survey_import.errors
    ]
    context = {"survey_import": survey_import, "errors": errors}
    return render(request, "planning/nps_import_detail.html", context)


@require_GET
@admin_required
def nps_import_errors(request, pk: int):
    survey_import = _import_or_404(pk)
    if not survey_import.errors_file:
        raise Http404(_("This import has no errors."))
    name = survey_import.file_name.rsplit(".", 1)[0] + "-errors.csv"
    return FileResponse(
        survey_import.errors_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="text/csv",
    )


def _check_view(user) -> None:
    if not user_can_view_planning(user=user):
        raise PermissionDenied


@require_GET
def nps_index(request):
    _check_view(request.user)
    context = {
        "rows": selectors.nps_account_list(),
        "minimum": selectors.nps_min_respondents(),
        "can_import": user_can_configure_planning(user=request.user),
    }
    return render(request, "planning/nps_index.html", context)


@require_GET
def nps_account(request, pk: int):
    _check_view(request.user)
    customer = get_object_or_404(Customer, pk=pk)
    periods = selectors.nps_by_quarter(customer=customer)  # oldest first
    context = {
        "customer": customer,
        "periods": list(reversed(periods)),
        "latest": periods[-1] if periods else None,
        "figure": selectors.nps_figure(periods=periods),
        "answers": selectors.nps_answers(customer=customer),
        "minimum": selectors.nps_min_respondents(),
    }
    return render(request, "planning/nps_account.html", context)
