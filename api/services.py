"""Writes of the API app: tokens (create, revoke, use) and the ledger and survey files sent
to it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ledger import parsing
from accounts.ledger.forms import LedgerUploadForm
from accounts.ledger.messages import file_error_message
from accounts.ledger.parsing import LedgerFileError
from accounts.ledger.selectors import ledger_import_preview
from accounts.ledger.services import (
    ledger_import_configure,
    ledger_import_create,
    ledger_import_refuse,
)
from accounts.models import LedgerImport, LedgerMapping
from planning import survey
from planning.models import SurveyImport
from planning.nps_forms import SurveyUploadForm
from planning.services import (
    survey_import_create,
    survey_import_refuse,
    survey_import_run,
    survey_limits,
)

from .models import ApiToken
from .tokens import PREFIX_SHOWN, token_generate, token_hash

# `last_used_at` is written at most this often per token, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def api_token_create(
    *,
    user,
    name: str,
    read_only: bool = False,
    expires_at: dt.datetime | None = None,
    created_by=None,
) -> tuple[ApiToken, str]:
    """A new token for `user`: the record, and the token itself (shown once, never stored)."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    raw = token_generate()
    api_token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=raw[:PREFIX_SHOWN],
        key_hash=token_hash(raw),
        read_only=read_only,
        expires_at=expires_at,
        created_by=created_by,
    )
    api_token.full_clean()
    api_token.save()
    return api_token, raw


def api_token_revoke(*, api_token: ApiToken) -> ApiToken:
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
    return api_token


def api_token_use(*, raw: str) -> ApiToken | None:
    """The usable token a request sent (None: unknown, revoked, expired or its user
    inactive), its last use recorded."""
    api_token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    now = timezone.now()
    if api_token is None or not api_token.is_usable(now):
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token


def ledger_import_submit(
    *,
    uploaded_file,
    user,
    mapping_name: str = "",
    mapping: dict[str, str] | None = None,
    date_format: str = "",
    valid_only: bool = False,
    currency: str = "",
) -> LedgerImport:
    """A ledger file sent to the API, run by the upload page's own services: checked as an
    upload, stored, its columns read, mapped (a saved mapping by name, an explicit one, or
    the mapping saved for files with these columns) and queued.

    Raises ValidationError (the file, the mapping) or a broker error (not queued).
    """
    form = LedgerUploadForm(data={}, files={"file": uploaded_file})
    if not form.is_valid():
        raise ValidationError(form.errors["file"][0], code="file")
    if mapping_name:
        saved = LedgerMapping.objects.filter(name=mapping_name).first()
        if saved is None:
            message = _("No saved mapping is called “%(name)s”.") % {"name": mapping_name}
            raise ValidationError(
                {"mapping_name": ValidationError(message, code="unknown_mapping")}
            )
    ledger_import = ledger_import_create(uploaded_file=form.cleaned_data["file"], user=user)
    try:
        preview = ledger_import_preview(ledger_import=ledger_import)
    except LedgerFileError as exc:
        message = file_error_message(exc)
        ledger_import_refuse(ledger_import=ledger_import, message=message)
        raise ValidationError(message, code=exc.code) from exc
    if mapping_name:
        chosen, chosen_dates = dict(saved.mapping), saved.date_format
    elif mapping:
        chosen, chosen_dates = dict(mapping), ""
    elif preview.saved_mapping is not None:
        chosen, chosen_dates = (
            dict(preview.saved_mapping.mapping),
            preview.saved_mapping.date_format,
        )
    else:
        message = _(
            "Name a saved mapping (mapping_name) or give one (mapping): no mapping is saved "
            "for files with these columns."
        )
        ledger_import_refuse(ledger_import=ledger_import, message=message)
        raise ValidationError({"mapping": ValidationError(message, code="mapping_required")})
    try:
        return ledger_import_configure(
            ledger_import=ledger_import,
            mapping=chosen,
            date_format=date_format or chosen_dates or preview.date_format,
            valid_only=valid_only,
            columns=preview.columns,
            currency=currency,
            user=user,
        )
    except ValidationError as exc:
        ledger_import_refuse(ledger_import=ledger_import, message=" ".join(exc.messages))
        raise


def survey_import_submit(
    *,
    uploaded_file,
    user,
    mapping: dict[str, str] | None = None,
    date_format: str = "",
) -> SurveyImport:
    """A survey file sent to the API, run by the upload page's own services while the
    caller waits (admins): checked as an upload, stored, its columns read, mapped (the
    mapping given, or the one the mapping page guesses from the header: survey mappings
    are not saved) and run. An import that ran answers with its report, rejected rows
    included; one that could not run is closed with the reason.

    Raises ValidationError (the file, the mapping, the date format) or PermissionDenied.
    """
    form = SurveyUploadForm(data={}, files={"file": uploaded_file})
    if not form.is_valid():
        raise ValidationError(form.errors["file"][0], code="file")
    orders = [order.value for order in parsing.DateOrder]
    if date_format and date_format not in orders:
        message = _("Choose one of: %(choices)s.") % {"choices": ", ".join(orders)}
        raise ValidationError({"date_format": ValidationError(message, code="invalid")})
    unknown = sorted(set(mapping or {}) - set(survey.FIELDS))
    if unknown:
        message = _("Map only the survey's fields: %(fields)s.") % {
            "fields": ", ".join(survey.FIELDS)
        }
        raise ValidationError({"mapping": ValidationError(message, code="unknown_field")})
    survey_import = survey_import_create(uploaded_file=form.cleaned_data["file"], user=user)
    try:
        table = survey.survey_read(survey_import.file.path, limits=survey_limits())
    except LedgerFileError as exc:
        message = file_error_message(exc)
        survey_import_refuse(survey_import=survey_import, message=message)
        raise ValidationError(message, code=exc.code) from exc
    chosen = dict(mapping) if mapping else survey.survey_mapping_guess(table.columns)
    dates = chosen.get("answered_on")
    if not date_format and dates in table.columns:
        date_format = parsing.date_order_detect(table.frame[dates])[0]
    try:
        return survey_import_run(
            survey_import=survey_import,
            mapping=chosen,
            date_format=date_format or parsing.DateOrder.DMY,
            columns=table.columns,
            user=user,
        )
    except ValidationError as exc:
        survey_import_refuse(survey_import=survey_import, message=" ".join(exc.messages))
        raise ValidationError(
            {"mapping": ValidationError(" ".join(exc.messages), code="invalid_mapping")}
        ) from exc
