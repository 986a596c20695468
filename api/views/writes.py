"""Writes a sales manager makes: a rating, a consensus value, the competitor flag, a contact
logged. Each goes through the same service as the page, so the same rules and 422 messages
apply."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from accounts.models import Competitor, Customer
from accounts.services import customer_competitor_flag
from planning.models import Contact, ContactLogEntry
from planning.services import contact_log_record
from scoring.models import Factor
from scoring.services import consensus_record, rating_record

from .base import WRITE_ERRORS, round_or_404

router = Router()


class CellIn(Schema):
    customer: str  # the customer's code
    factor: int
    competitor: str | None = None  # a competitor's name, for its strength rating
    value: str | float | None = None  # as typed in the grid ("7,5" too); empty clears


class CellOut(Schema):
    customer: str
    factor: int
    competitor: str | None
    value: str | None


def _cell(scoring_round, payload: CellIn) -> dict:
    """The cell a request names, 404 for any part that does not exist."""
    return {
        "scoring_round": scoring_round,
        "customer": get_object_or_404(Customer, code=payload.customer),
        "factor": get_object_or_404(Factor, pk=payload.factor, round=scoring_round),
        "competitor": get_object_or_404(Competitor, name=payload.competitor)
        if payload.competitor
        else None,
    }


def _typed(value) -> str:
    return "" if value is None else str(value)


def _cell_out(payload: CellIn, stored) -> dict:
    return {
        "customer": payload.customer,
        "factor": payload.factor,
        "competitor": payload.competitor,
        "value": None if stored is None else f"{stored.value:.2f}",
    }


@router.post(
    "/rounds/{pk}/ratings",
    response={200: CellOut, **WRITE_ERRORS},
    url_name="rating_record",
    tags=["writes"],
    summary="Record (or clear) one of your ratings",
)
def rating_save(request, pk: int, payload: CellIn):
    """As a cell of the rating grid: the caller rates as themself, the same validation and
    messages apply (422), and an empty value clears the rating."""
    cell = _cell(round_or_404(pk), payload)
    stored = rating_record(**cell, rater=request.user, raw_value=_typed(payload.value))
    return _cell_out(payload, stored)


@router.post(
    "/rounds/{pk}/consensus",
    response={200: CellOut, **WRITE_ERRORS},
    url_name="consensus_record",
    tags=["writes"],
    summary="Record (or clear) the team's consensus on one cell (coordinator, in the meeting)",
)
def consensus_save(request, pk: int, payload: CellIn):
    cell = _cell(round_or_404(pk), payload)
    stored = consensus_record(**cell, user=request.user, raw_value=_typed(payload.value))
    return _cell_out(payload, stored)


class CompetitorFlagIn(Schema):
    targeted: bool


class CompetitorFlagOut(Schema):
    customer: str
    targeted: bool


@router.post(
    "/customers/{code}/competitor-targeted",
    response={200: CompetitorFlagOut, **WRITE_ERRORS},
    url_name="customer_competitor_flag",
    tags=["writes"],
    summary="Flag (or clear) a customer as targeted by a competitor",
)
def competitor_flag(request, code: str, payload: CompetitorFlagIn):
    customer = get_object_or_404(Customer, code=code)
    customer = customer_competitor_flag(
        customer=customer, targeted=payload.targeted, user=request.user
    )
    return {"customer": customer.code, "targeted": customer.competitor_targeted}


class ContactLogIn(Schema):
    contact: int  # the id of one of the account's people (GET the account page to find it)
    channel: ContactLogEntry.Channel
    touch_point: ContactLogEntry.TouchPoint
    date: datetime.date | None = None  # today when not given; never in the future
    note: str = ""


class ContactLogOut(Schema):
    id: int
    customer: str
    contact: int
    date: datetime.date
    channel: str
    touch_point: str
    note: str


@router.post(
    "/customers/{code}/contact-log",
    response={200: ContactLogOut, **WRITE_ERRORS},
    url_name="contact_log_record",
    tags=["writes"],
    summary="Log a contact with one of the customer's people (as the contact log page does)",
)
def contact_log_save(request, code: str, payload: ContactLogIn):
    customer = get_object_or_404(Customer, code=code)
    contact = get_object_or_404(Contact, pk=payload.contact)
    entry = contact_log_record(
        customer=customer,
        user=request.user,
        date=payload.date or timezone.localdate(),
        contact=contact,
        channel=payload.channel,
        touch_point=payload.touch_point,
        note=payload.note,
    )
    return {
        "id": entry.pk,
        "customer": customer.code,
        "contact": entry.contact_id,
        "date": entry.date,
        "channel": entry.channel,
        "touch_point": entry.touch_point,
        "note": entry.note,
    }
