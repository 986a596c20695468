"""A believable demo company: customers, three years of ledger, competitors, a scored round.

Everything is drawn from a fixed random seed and written with keys that already exist on a
second run (codes, invoice numbers, unique ratings), so seeding twice duplicates nothing.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Competitor, Customer, LedgerLine, Segment
from kamapp.roles import Role, role_group

from .models import Axis, Consideration, Decision, Factor, Rating, RoundMember, ScoringRound

DEMO_PASSWORD = "demo"
CUSTOMER_COUNT = 300
MONTHS = 36
SEGMENTS = [
    ("Manufacturing", "Factories buying components and consumables."),
    ("Retail chains", "Supermarket and store chains."),
    ("Hospitality", "Hotels, restaurants and caterers."),
    ("Public sector", "Hospitals, schools and government offices."),
]
COMPETITORS = ["Nusantara Supply", "Prima Distribusi", "Global Trade Partners"]
NAME_FIRST = [
    "Sinar",
    "Mitra",
    "Karya",
    "Jaya",
    "Maju",
    "Sejahtera",
    "Abadi",
    "Bintang",
    "Cahaya",
    "Surya",
    "Mega",
    "Indah",
    "Makmur",
    "Sentosa",
    "Harapan",
    "Berkah",
    "Lestari",
    "Mulia",
    "Gemilang",
    "Utama",
]
NAME_SECOND = [
    "Pangan",
    "Logam",
    "Tekstil",
    "Kimia",
    "Medika",
    "Hotel",
    "Retail",
    "Plastik",
    "Kertas",
    "Elektrik",
    "Agro",
    "Boga",
    "Bangun",
    "Farma",
    "Niaga",
]
NAME_FORM = ["PT", "CV", "PT", "PT", "UD"]
PRODUCTS = [f"P{n:03d}" for n in range(1, 41)]

ATTRACTIVENESS_FACTORS = [
    (
        "Size of business with us",
        Consideration.PURE,
        25,
        "Under 1% of our revenue",
        "About 1% of our revenue",
        "Over 5% of our revenue",
    ),
    (
        "Growth potential",
        Consideration.PURE,
        20,
        "Shrinking",
        "Growing with the market",
        "Growing much faster than the market",
    ),
    (
        "Margin potential",
        Consideration.PURE,
        15,
        "Buys on price alone",
        "Average margin",
        "Pays for value, high margin",
    ),
    (
        "Openness to a close relationship",
        Consideration.SUCCESS,
        15,
        "Transactional, many suppliers",
        "Open to talk",
        "Wants a partner supplier",
    ),
    (
        "Fit with our long-term strategy",
        Consideration.LONG_TERM,
        15,
        "Outside our focus",
        "Partly in our focus",
        "Core of our strategy",
    ),
    (
        "Our resources to serve them",
        Consideration.RESOURCES,
        10,
        "We could not serve them well",
        "Stretch but feasible",
        "We have the people and capacity",
    ),
]
STRENGTH_FACTORS = [
    ("Product quality", 25, "Frequent complaints", "Meets the specification", "Best in class"),
    ("Price competitiveness", 20, "Far above the market", "At market price", "Clearly cheaper"),
    ("On-time, in-full delivery", 25, "Under 80% OTIF", "About 95% OTIF", "Over 99% OTIF"),
    ("Technical support", 15, "None", "On request", "Dedicated and proactive"),
    ("Relationship and trust", 15, "We hardly know them", "Cordial", "Trusted adviser"),
]


@dataclass
class DemoSummary:
    customers: int
    ledger_lines: int
    ratings: int
    users: list[str]


def _month_start(anchor: dt.date, months_back: int) -> dt.date:
    month_index = anchor.year * 12 + anchor.month - 1 - months_back
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def _demo_users(*, create_logins: bool) -> tuple[list, list[str]]:
    """The sales managers who own accounts, and the login users created (DEBUG only)."""
    User = get_user_model()
    groups = {role: role_group(role) for role in Role}
    created = []
    owners = []
    logins = [
        ("admin", Role.ADMIN, {"is_staff": True, "is_superuser": True, "first_name": "Ayu"}),
        ("manager", Role.SALES_MANAGER, {"first_name": "Dewi", "last_name": "Santoso"}),
        ("team", Role.SELECTION_TEAM, {"first_name": "Rudi", "last_name": "Hartono"}),
    ]
    if create_logins:
        for username, role, fields in logins:
            user, was_created = User.objects.get_or_create(username=username, defaults=fields)
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(groups[role])
            created.append(username)
            if role == Role.SALES_MANAGER:
                owners.append(user)
    # Colleagues who own the other accounts; they cannot sign in until an admin sets a password.
    for username, first, last in [
        ("sari", "Sari", "Wijaya"),
        ("budi", "Budi", "Prasetyo"),
        ("rina", "Rina", "Kusuma"),
    ]:
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if was_created:
            user.set_unusable_password()
            user.save()
        user.groups.add(groups[Role.SALES_MANAGER])
        owners.append(user)
    return owners, created


def _customers(rng, owners) -> list[Customer]:
    segments = [
        Segment.objects.get_or_create(name=name, defaults={"description": description})[0]
        for name, description in SEGMENTS
    ]
    existing = {customer.code: customer for customer in Customer.objects.all()}
    new = []
    for number in range(1, CUSTOMER_COUNT + 1):
        code = f"C{number:04d}"
        name = (
            f"{NAME_FORM[number % len(NAME_FORM)]} {rng.choice(NAME_FIRST)} "
            f"{rng.choice(NAME_SECOND)} {number}"
        )
        segment = segments[int(rng.integers(len(segments)))]
        owner = owners[number % len(owners)]
        targeted = bool(rng.random() < 0.12)
        if code not in existing:
            new.append(
                Customer(
                    code=code, name=name, segment=segment, owner=owner, competitor_targeted=targeted
                )
            )
    Customer.objects.bulk_create(new)
    return list(Customer.objects.filter(code__startswith="C").order_by("code")[:CUSTOMER_COUNT])


def _ledger_lines(rng, customers, anchor: dt.date) -> list[LedgerLine]:
    """Three years of invoices with a Pareto skew: a lognormal spread of customer size."""
    yearly_revenue = rng.lognormal(mean=0.0, sigma=1.65, size=len(customers))
    yearly_revenue = yearly_revenue / yearly_revenue.sum() * 120_000_000_000  # IDR 120 bn a year
    lines = []
    invoice_seq = 0
    for index, customer in enumerate(customers):
        size_rank = float((yearly_revenue < yearly_revenue[index]).mean())
        # Big customers buy most months; small ones now and then.
        monthly_probability = 0.25 + 0.7 * size_rank
        first_month = int(
            rng.choice([MONTHS - 1, MONTHS - 1, MONTHS - 1, int(rng.integers(0, MONTHS))])
        )
        growth = rng.normal(0.0, 0.25)
        lapsed = rng.random() < 0.05
        late_days = int(rng.choice([0, 0, 0, 5, 20, 45]))
        for months_back in range(first_month, -1, -1):
            if lapsed and months_back < 4:
                break
            if rng.random() > monthly_probability:
                continue
            month = _month_start(anchor, months_back)
            trend = (1 + growth) ** ((MONTHS - months_back) / 12)
            invoices = 1 + int(rng.poisson(1.5 * size_rank))
            for _ in range(invoices):
                invoice_seq += 1
                day = int(rng.integers(1, calendar.monthrange(month.year, month.month)[1] + 1))
                invoice_date = month.replace(day=day)
                invoice_value = (
                    yearly_revenue[index] * trend / (12 * monthly_probability * invoices)
                )
                product_count = int(rng.integers(1, 5))
                shares = rng.dirichlet(np.ones(product_count))
                credit = rng.random() < 0.02
                number = f"{'C' if credit else 'INV'}-{invoice_seq:07d}"
                for line_number, share in enumerate(shares, start=1):
                    quantity = Decimal(int(rng.integers(1, 200)))
                    amount = Decimal(str(round(invoice_value * share * (-0.1 if credit else 1), 2)))
                    cost = (amount * Decimal(str(round(rng.uniform(0.6, 0.85), 2)))).quantize(
                        Decimal("0.01")
                    )
                    due_date = invoice_date + dt.timedelta(days=30)
                    paid_date = due_date + dt.timedelta(days=int(rng.integers(-5, late_days + 1)))
                    lines.append(
                        LedgerLine(
                            customer=customer,
                            invoice_number=number,
                            line_key=str(line_number),
                            invoice_date=invoice_date,
                            amount=amount,
                            quantity=-quantity if credit else quantity,
                            product_code=str(rng.choice(PRODUCTS)),
                            cost=cost,
                            due_date=due_date,
                            paid_date=paid_date if paid_date <= anchor else None,
                        )
                    )
    return lines


def _round_with_factors(*, name: str, date: dt.date, status: str) -> tuple:
    scoring_round, _ = ScoringRound.objects.get_or_create(
        name=name, defaults={"date": date, "status": status}
    )
    attractiveness = [
        Factor.objects.get_or_create(
            round=scoring_round,
            axis=Axis.ATTRACTIVENESS,
            name=factor_name,
            defaults={
                "weight": weight,
                "consideration": consideration,
                "position": position,
                "rubric_low": low,
                "rubric_mid": mid,
                "rubric_high": high,
            },
        )[0]
        for position, (factor_name, consideration, weight, low, mid, high) in enumerate(
            ATTRACTIVENESS_FACTORS
        )
    ]
    strength = [
        Factor.objects.get_or_create(
            round=scoring_round,
            axis=Axis.STRENGTH,
            name=factor_name,
            defaults={
                "weight": weight,
                "position": position,
                "rubric_low": low,
                "rubric_mid": mid,
                "rubric_high": high,
            },
        )[0]
        for position, (factor_name, weight, low, mid, high) in enumerate(STRENGTH_FACTORS)
    ]
    return scoring_round, attractiveness, strength


def _owner_ratings(
    rng, *, scoring_round, attractiveness, strength, customers, competitors, revenue_rank
) -> list[Rating]:
    """Each owner rates their accounts: attractiveness follows size, strength varies."""

    def value(centre: float) -> Decimal:
        return Decimal(str(round(float(np.clip(rng.normal(centre, 1.6), 0, 10)) * 2) / 2))

    ratings = []
    for customer, rank in zip(customers, revenue_rank, strict=True):
        if rng.random() < 0.12:  # not yet rated
            continue
        skip_one = rng.random() < 0.05  # a factor forgotten: shown as incomplete
        for factor in attractiveness[:-1] if skip_one else attractiveness:
            ratings.append(
                Rating(
                    round=scoring_round,
                    customer=customer,
                    factor=factor,
                    rater=customer.owner,
                    value=value(2 + 6 * rank),
                )
            )
        our_position = rng.uniform(3, 8)
        rated_competitors = competitors[: int(rng.integers(0, len(competitors) + 1))]
        for factor in strength:
            ratings.append(
                Rating(
                    round=scoring_round,
                    customer=customer,
                    factor=factor,
                    rater=customer.owner,
                    value=value(our_position),
                )
            )
            ratings += [
                Rating(
                    round=scoring_round,
                    customer=customer,
                    factor=factor,
                    rater=customer.owner,
                    competitor=competitor,
                    value=value(rng.uniform(3, 8)),
                )
                for competitor in rated_competitors
            ]
    return ratings


def _second_opinions(rng, *, ratings: list[Rating], rater) -> list[Rating]:
    """A team member re-rates the attractiveness of the largest accounts, not always agreeing."""
    shown = [r for r in ratings if r.factor.axis == Axis.ATTRACTIVENESS and r.competitor is None]
    keep = {c for c in sorted({r.customer_id for r in shown}) if rng.random() < 0.3}
    return [
        Rating(
            round=r.round,
            customer=r.customer,
            factor=r.factor,
            rater=rater,
            value=Decimal(
                str(float(np.clip(float(r.value) + rng.choice([-3, -1, 0, 0, 1, 2]), 0, 10)))
            ),
        )
        for r in shown
        if r.customer_id in keep
    ]


def _demo_rounds(rng, customers, competitors, revenue_rank, today: dt.date) -> int:
    """Last year's decided round, and this year's round in its meeting."""
    User = get_user_model()
    previous, previous_a, previous_s = _round_with_factors(
        name="Key account selection 2025",
        date=today - dt.timedelta(days=365),
        status=ScoringRound.Status.DECIDED,
    )
    current, current_a, current_s = _round_with_factors(
        name="Key account selection 2026", date=today, status=ScoringRound.Status.MEETING
    )
    common = {"customers": customers, "competitors": competitors, "revenue_rank": revenue_rank}
    previous_ratings = _owner_ratings(
        rng, scoring_round=previous, attractiveness=previous_a, strength=previous_s, **common
    )
    ratings = _owner_ratings(
        rng, scoring_round=current, attractiveness=current_a, strength=current_s, **common
    )
    team = User.objects.filter(username="team").first()
    if team is not None:
        ratings += _second_opinions(rng, ratings=ratings, rater=team)
        for username, team_role in (
            ("team", RoundMember.TeamRole.COORDINATOR),
            ("manager", RoundMember.TeamRole.RESOURCE_INVESTIGATOR),
            ("sari", RoundMember.TeamRole.MONITOR_EVALUATOR),
            ("budi", RoundMember.TeamRole.IMPLEMENTER),
        ):
            RoundMember.objects.get_or_create(
                round=current,
                user=User.objects.get(username=username),
                defaults={"team_role": team_role},
            )
    Rating.objects.bulk_create(previous_ratings + ratings, ignore_conflicts=True, batch_size=2000)
    # Last year's team selected its largest accounts as key; some have slipped since.
    largest = [c for c, rank in zip(customers, revenue_rank, strict=True) if rank >= 0.9]
    Decision.objects.bulk_create(
        [
            Decision(
                round=previous,
                customer=customer,
                choice=Decision.Choice.KEY,
                coverage=Decision.Coverage.FARMER,
                box_at_decision="key",
                rationale="Large and growing; farmer assigned.",
            )
            for customer in largest
        ],
        ignore_conflicts=True,
    )
    return len(previous_ratings) + len(ratings)


@transaction.atomic
def demo_company_seed(*, create_logins: bool, today: dt.date | None = None) -> DemoSummary:
    rng = np.random.default_rng(20261123)
    anchor = _month_start(today or timezone.localdate(), 1)
    owners, logins = _demo_users(create_logins=create_logins)
    customers = _customers(rng, owners)
    competitors = [Competitor.objects.get_or_create(name=name)[0] for name in COMPETITORS]
    lines = _ledger_lines(rng, customers, anchor)
    LedgerLine.objects.bulk_create(lines, ignore_conflicts=True, batch_size=2000)
    totals: dict[int, Decimal] = {}
    for line in lines:
        totals[line.customer_id] = totals.get(line.customer_id, Decimal(0)) + line.amount
    revenue = np.array([float(totals.get(customer.pk, 0)) for customer in customers])
    revenue_rank = revenue.argsort().argsort() / max(len(customers) - 1, 1)
    rating_count = _demo_rounds(
        rng, customers, competitors, revenue_rank, today or timezone.localdate()
    )
    return DemoSummary(
        customers=len(customers), ledger_lines=len(lines), ratings=rating_count, users=logins
    )
