"""Writes of an account's relationship map and contact log: people added, changed or marked
as gone, and each contact with them logged."""

import datetime
from typing import TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Customer

from ..models import Contact, ContactLogEntry
from ..permissions import user_can_edit_planning


def planning_check_editable(*, user, customer: Customer) -> None:
    if not user_can_edit_planning(user=user, customer=customer):
        raise PermissionDenied(
            _("Only the account's owner, the selection team and admins can change its planning.")
        )


def _reports_to_check(*, contact: Contact, reports_to: Contact | None) -> None:
    """The boss is an active contact of the same account, and never one of the contact's own
    reports (directly or further down): the map stays a tree."""
    if reports_to is None:
        return
    if reports_to.customer_id != contact.customer_id:
        raise ValidationError(
            {"reports_to": _("%(name)s is not a contact of this account.") % {"name": reports_to}},
            code="other_account",
        )
    if not reports_to.active:
        raise ValidationError(
            {"reports_to": _("%(name)s has left the account.") % {"name": reports_to}},
            code="inactive",
        )
    if contact.pk is None:
        return
    bosses = dict(
        Contact.objects.filter(customer_id=contact.customer_id).values_list("pk", "reports_to_id")
    )
    seen = set()
    boss_id = reports_to.pk
    while boss_id is not None and boss_id not in seen:
        if boss_id == contact.pk:
            raise ValidationError(
                {
                    "reports_to": _(
                        "%(name)s cannot report to %(boss)s, who reports to them in turn."
                    )
                    % {"name": contact.name, "boss": reports_to}
                    if reports_to.pk != contact.pk
                    else _("Nobody reports to themselves.")
                },
                code="cycle",
            )
        seen.add(boss_id)
        boss_id = bosses.get(boss_id)


class ContactFields(TypedDict, total=False):
    """What a person on the map is (a new one needs at least a name and a role in buying)."""

    name: str
    buying_role: str
    stance: str
    title: str
    function: str
    email: str
    phone: str
    reports_to: Contact | None
    relationship_owner: object  # a user, or None


def _contact_save(*, contact: Contact, fields: ContactFields) -> Contact:
    unknown = set(fields) - set(ContactFields.__annotations__)
    if unknown:  # the account, or being still there, never changes through these
        raise TypeError(f"Not a contact's field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    _reports_to_check(contact=contact, reports_to=contact.reports_to)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_create(*, customer: Customer, user, **fields: Unpack[ContactFields]) -> Contact:
    """A new person on the account's map (neutral unless said otherwise)."""
    planning_check_editable(user=user, customer=customer)
    return _contact_save(contact=Contact(customer=customer), fields=fields)


@transaction.atomic
def contact_update(*, contact: Contact, user, **fields: Unpack[ContactFields]) -> Contact:
    """Change what we know of a person (the fields given; the others stay); the account they
    belong to never changes."""
    contact = Contact.objects.select_for_update().select_related("customer").get(pk=contact.pk)
    planning_check_editable(user=user, customer=contact.customer)
    return _contact_save(contact=contact, fields=fields)


@transaction.atomic
def contact_deactivate(*, contact: Contact, user) -> list[Contact]:
    """Take someone who left the customer off the map (their log entries stay). Whoever
    reported to them now reports to their boss, so the chart stays whole; those moved."""
    contact = Contact.objects.select_for_update().select_related("customer").get(pk=contact.pk)
    planning_check_editable(user=user, customer=contact.customer)
    if not contact.active:
        raise ValidationError(_("%(name)s is already off the map.") % {"name": contact.name})
    moved = list(Contact.objects.filter(reports_to=contact).order_by("name", "pk"))
    for report in moved:
        report.reports_to_id = contact.reports_to_id
        report.save(update_fields=["reports_to"])  # one by one, so each is in the audit trail
    contact.active = False
    contact.reports_to = None
    contact.full_clean()
    contact.save(update_fields=["active", "reports_to"])
    return moved


def contact_log_record(
    *,
    customer: Customer,
    user,
    date: datetime.date,
    contact: Contact | None,
    channel: str,
    touch_point: str,
    note: str = "",
) -> ContactLogEntry:
    """Log one contact with the account: it happened (not in the future), with one of the
    account's people."""
    planning_check_editable(user=user, customer=customer)
    errors = {}
    if date is not None and date > timezone.localdate():
        errors["date"] = _("A contact is logged once it has happened: the date is in the future.")
    if contact is None:
        errors["contact"] = _("Say whom you were in contact with (add them to the map first).")
    elif contact.customer_id != customer.pk:
        errors["contact"] = _("%(name)s is not a contact of this account.") % {"name": contact}
    if errors:
        raise ValidationError(errors)
    entry = ContactLogEntry(
        customer=customer,
        contact=contact,
        date=date,
        channel=channel,
        touch_point=touch_point,
        note=(note or "").strip(),
        logged_by=user,
    )
    entry.full_clean()
    entry.save()
    return entry
