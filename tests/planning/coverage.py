"""Decided rounds for the coverage tests: each account's decision, written directly."""

import datetime

from planning.models import ContactLogEntry
from scoring.models import Decision
from tests.factories import ScoringRoundFactory


def decide(choices: dict, *, date=datetime.date(2026, 1, 15), **round_fields):
    """A decided round dated `date` with one decision per account (customer → choice)."""
    scoring_round = ScoringRoundFactory(decided=True, date=date, **round_fields)
    for customer, choice in choices.items():
        Decision.objects.create(
            round=scoring_round,
            customer=customer,
            choice=choice,
            coverage=Decision.Coverage.FARMER,
            box_at_decision=choice if choice != Decision.Choice.DESELECTED else "",
        )
    return scoring_round


def log_contact(customer, date: datetime.date) -> ContactLogEntry:
    return ContactLogEntry.objects.create(
        customer=customer, date=date, channel="visit", touch_point="purchase"
    )
