"""The nightly cadence check: record which accounts are overdue for contact, and send each
owner one e-mail digest of theirs."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.models import UserPreference

from ..models import CadenceFlag
from ..selectors import OverdueAccount, cadence_overdue


@dataclass(frozen=True)
class CadenceCheck:
    flagged: int
    cleared: int
    digests: int


@transaction.atomic
def cadence_flags_record(*, overdue: list[OverdueAccount], today: datetime.date) -> tuple[int, int]:
    """Replace the flags with `overdue`, keeping the first-flagged date of an account
    still overdue; (flags now, flags cleared)."""
    existing = {flag.customer_id: flag for flag in CadenceFlag.objects.select_for_update()}
    wanted = {item.customer.pk for item in overdue}
    gone = [flag.pk for customer_id, flag in existing.items() if customer_id not in wanted]
    CadenceFlag.objects.filter(pk__in=gone).delete()
    for item in overdue:
        flag = existing.get(item.customer.pk) or CadenceFlag(
            customer=item.customer, flagged_on=today
        )
        flag.owner = item.owner
        flag.last_contact = item.last_contact
        flag.cadence_days = item.cadence_days
        flag.checked_on = today
        flag.full_clean(validate_unique=False)
        flag.save()
    return len(overdue), len(gone)


def _language(user, preferences: dict[int, str]) -> str:
    return preferences.get(user.pk) or settings.LANGUAGE_CODE


def cadence_digests_build(
    *, overdue: list[OverdueAccount], today: datetime.date
) -> list[EmailMessage]:
    """One message per owner with an e-mail address, listing their overdue accounts, in
    the owner's own language."""
    by_owner: dict[int, list[OverdueAccount]] = {}
    owners = {}
    for item in overdue:
        if item.owner is not None and item.owner.email:
            by_owner.setdefault(item.owner.pk, []).append(item)
            owners[item.owner.pk] = item.owner
    preferences = dict(
        UserPreference.objects.filter(user_id__in=list(owners)).values_list("user_id", "language")
    )
    messages = []
    for owner_id, items in by_owner.items():
        owner = owners[owner_id]
        with translation.override(_language(owner, preferences)):
            subject = ngettext(
                "KAISM: %(count)s account overdue for contact",
                "KAISM: %(count)s accounts overdue for contact",
                len(items),
            ) % {"count": len(items)}
            body = render_to_string(
                "planning/email/cadence_digest.txt",
                {"owner": owner, "items": items, "today": today},
            ).strip()
        messages.append(EmailMessage(subject=subject, body=body, to=[owner.email]))
    return messages


def _owners_sent_today(*, today: datetime.date) -> set[int]:
    return set(
        CadenceFlag.objects.filter(digest_sent_on=today, owner__isnull=False).values_list(
            "owner_id", flat=True
        )
    )


def cadence_check(*, today: datetime.date | None = None) -> CadenceCheck:
    """The nightly job: flag the overdue accounts (`planning.selectors.is_overdue`'s rule),
    then send the digests once the flags are stored: one a day per owner, however often
    the job runs that day (the task is acknowledged late, so a worker lost after sending
    runs it again)."""
    today = today or timezone.localdate()
    overdue = cadence_overdue(today=today)
    flagged, cleared = cadence_flags_record(overdue=overdue, today=today)
    sent = _owners_sent_today(today=today)
    pending = [item for item in overdue if item.owner is None or item.owner.pk not in sent]
    messages = cadence_digests_build(overdue=pending, today=today)
    if messages:
        get_connection().send_messages(messages)
        owners = {item.owner.pk for item in pending if item.owner is not None}
        CadenceFlag.objects.filter(owner_id__in=owners).update(digest_sent_on=today)
    return CadenceCheck(flagged=flagged, cleared=cleared, digests=len(messages))
