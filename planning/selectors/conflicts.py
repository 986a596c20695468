"""Accounts where the ledger and the selection disagree (issue: conflicts and foresight).

Each rule reads the latest decided round's decisions (through scoring's selectors) beside
what the data says now, and names what disagrees in words a team can act on.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Customer, Stage, Tier
from scoring.selectors import round_decisions, round_latest_decided

from ..models import AccountPlan
from .cadence import cadence_overdue
from .nps import nps_latest

NOT_SELECTED = frozenset({"opportunistic", "deselected"})
FADING = frozenset({Stage.LAPSED, Stage.DECLINING})


@dataclass(frozen=True)
class Facts:
    """What the rules read beyond the account itself, loaded once for all accounts."""

    year: int
    planned: set = field(default_factory=set)  # accounts with a plan for the year
    overdue: dict = field(default_factory=dict)  # customer id -> OverdueAccount
    nps: dict = field(default_factory=dict)  # customer id -> latest NpsPeriod


@dataclass(frozen=True)
class Conflict:
    customer: Customer
    decision: object  # scoring's Decision: its choice and box when decided
    kind: str
    reason: str


def _tier_a_not_selected(customer, decision, facts) -> str | None:
    metrics = getattr(customer, "metrics", None)
    if decision.choice in NOT_SELECTED and metrics is not None and metrics.tier == Tier.A:
        return _("Tier A by revenue, but decided %(decision)s.") % {
            "decision": decision.get_choice_display()
        }
    return None


def _key_fading(customer, decision, facts) -> str | None:
    metrics = getattr(customer, "metrics", None)
    if decision.choice == "key" and metrics is not None and metrics.stage in FADING:
        return _("Selected as key account, but its purchases are %(stage)s.") % {
            "stage": metrics.get_stage_display().lower()
        }
    return None


def _key_unplanned(customer, decision, facts) -> str | None:
    if decision.choice == "key" and customer.pk not in facts.planned:
        return _("Selected as key account, but it has no plan for %(year)s.") % {"year": facts.year}
    return None


def _key_not_contacted(customer, decision, facts) -> str | None:
    overdue = facts.overdue.get(customer.pk)
    if decision.choice == "key" and overdue is not None:
        return _("Selected as key account, but not contacted within its cadence: %(why)s") % {
            "why": overdue.description
        }
    return None


def _key_detractors(customer, decision, facts) -> str | None:
    period = facts.nps.get(customer.pk)
    if decision.choice == "key" and period is not None and period.at_risk:
        return _("Selected as key account, but its latest NPS is %(score)s.") % {
            "score": period.result.points
        }
    return None


# (kind, its name for the filter, the rule): a rule gives the reason, or None.
RULES = (
    ("tier_a_not_selected", gettext_lazy("Tier A, not selected"), _tier_a_not_selected),
    ("key_fading", gettext_lazy("Key, lapsed or declining"), _key_fading),
    ("key_unplanned", gettext_lazy("Key, no plan"), _key_unplanned),
    ("key_not_contacted", gettext_lazy("Key, contact overdue"), _key_not_contacted),
    ("key_detractors", gettext_lazy("Key, NPS below zero"), _key_detractors),
)


def conflict_kinds() -> list[tuple[str, str]]:
    return [(kind, str(label)) for kind, label, _rule in RULES]


def account_conflicts(*, kind: str = "") -> dict:
    """Every conflict on the latest decided round's accounts, by account name; empty (and
    no round) before any round is decided. A constant number of queries whatever the number
    of accounts."""
    scoring_round = round_latest_decided()
    decisions = round_decisions(scoring_round=scoring_round) if scoring_round else {}
    customers = Customer.objects.filter(pk__in=list(decisions)).select_related(
        "metrics", "owner", "segment"
    )
    today = timezone.localdate()
    facts = Facts(
        year=today.year,
        planned=set(
            AccountPlan.objects.filter(
                customer_id__in=list(decisions), year=today.year
            ).values_list("customer_id", flat=True)
        ),
        overdue={item.customer.pk: item for item in cadence_overdue(today=today)}
        if decisions
        else {},
        nps=nps_latest(customer_ids=list(decisions)) if decisions else {},
    )
    conflicts = []
    for customer in customers.order_by("name", "code"):
        decision = decisions[customer.pk]
        for rule_kind, _label, rule in RULES:
            if kind and rule_kind != kind:
                continue
            reason = rule(customer, decision, facts)
            if reason:
                conflicts.append(Conflict(customer, decision, rule_kind, reason))
    return {"round": scoring_round, "conflicts": conflicts}
