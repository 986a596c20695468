"""Reads of rounds: lists, factor sets, history, decisions and what waits for a rater."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from accounts.models import Competitor, Customer
from kamapp.audit import AuditRow, audit_rows

from ..models import LOCKED_STATUSES, Axis, Decision, Factor, Rating, ScoringRound
from ..permissions import user_can_manage_rounds


def round_count() -> int:
    return ScoringRound.objects.count()


def round_list() -> QuerySet:
    return ScoringRound.objects.all()


def round_latest() -> ScoringRound | None:
    """The most recent round of all, whatever its stage (the new round's factors start from
    it)."""
    return ScoringRound.objects.order_by("-date", "-id").first()


def round_comparable(*, scoring_round: ScoringRound) -> QuerySet:
    """The rounds a review may compare this one with: the other decided or archived ones,
    latest first. A round in draft or scoring never is one: its ratings are still blind."""
    return (
        ScoringRound.objects.filter(status__in=LOCKED_STATUSES)
        .exclude(pk=scoring_round.pk)
        .order_by("-date", "-id")
    )


def round_previous(*, scoring_round: ScoringRound) -> ScoringRound | None:
    """The previous round: the latest decided or archived one before this one, rounds in
    order of date and, on one date, of id (the lower first)."""
    before = Q(date__lt=scoring_round.date) | Q(date=scoring_round.date, pk__lt=scoring_round.pk)
    return round_comparable(scoring_round=scoring_round).filter(before).first()


def round_factors(*, scoring_round: ScoringRound) -> dict[str, list[Factor]]:
    factors = list(scoring_round.factors.order_by("position", "id"))
    return {
        axis: [factor for factor in factors if factor.axis == axis]
        for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH)
    }


def round_history(
    *, scoring_round: ScoringRound, reader, customer: Customer | None = None, limit: int = 30
) -> list[AuditRow]:
    """The latest recorded changes to a round: its stage, factors and ratings.

    With a customer: only that account's ratings in the round and the account's own changes.
    Until the meeting reveals the ratings, the reader sees the values of their own ratings
    only; anyone else's rating changes read as "rated", without value.
    """
    entries = LogEntry.objects.filter(additional_data__round=scoring_round.pk)
    if customer is not None:
        entries = LogEntry.objects.filter(
            Q(additional_data__round=scoring_round.pk, additional_data__customer=customer.pk)
            | Q(content_type=ContentType.objects.get_for_model(Customer), object_id=customer.pk)
        )
    from .matrix import box_labels  # matrix reads this module's factors

    conceal = None if scoring_round.ratings_revealed else _others_ratings_concealed(reader)
    return audit_rows(
        entries=entries.order_by("-timestamp", "-pk")[:limit],
        conceal=conceal,
        labels={"box_at_decision": box_labels()},
    )


def _others_ratings_concealed(reader):
    """For a blind round: the cell, without its value, of each entry on someone else's
    rating; None (shown in full) for every other entry."""
    rating_type = ContentType.objects.get_for_model(Rating).pk

    def conceal(entry: LogEntry) -> str | None:
        if entry.content_type_id != rating_type:
            return None
        # Entries written before the rater was stored name only who made the change.
        rater = (entry.additional_data or {}).get("rater", entry.actor_id)
        if rater is not None and rater == reader.pk:
            return None
        # The stored text is Rating.__str__: the cell, then ": " and the value.
        return entry.object_repr.rpartition(": ")[0]

    return conceal


def round_decisions(*, scoring_round: ScoringRound) -> dict[int, Decision]:
    return {
        decision.customer_id: decision
        for decision in scoring_round.decisions.select_related("decided_by")
    }


def round_latest_decided() -> ScoringRound | None:
    """The latest round whose decisions stand (decided or archived): what the accounts are
    managed by until the next round is decided."""
    return ScoringRound.objects.filter(status__in=LOCKED_STATUSES).order_by("-date", "-id").first()


def decisions_latest_decided() -> dict[int, Decision]:
    """Each account's decision in the latest decided round (by customer id); empty when no
    round is decided yet. Other apps (planning) read the selection through this."""
    scoring_round = round_latest_decided()
    if scoring_round is None:
        return {}
    return round_decisions(scoring_round=scoring_round)


def decision_latest_decided_subquery(*, scoring_round: ScoringRound, field: str) -> Subquery:
    """A customer's decision `field` ("choice" or "box_at_decision") in the given round, as
    a subquery on the outer customer's pk: other apps annotate, filter and sort their
    customer lists by it in SQL."""
    decisions = Decision.objects.filter(round=scoring_round, customer=OuterRef("pk"))
    return Subquery(decisions.values(field)[:1])


def decision_choices() -> list[tuple[str, str]]:
    """The decisions a round records, with their labels in the current language."""
    return list(Decision.Choice.choices)


def round_pending_for_user(*, user) -> list[dict]:
    """Rounds in scoring that wait for this user's ratings: how many cells are left, and on
    how many accounts and factors (an account or factor is left while one of its cells is).

    A sales manager rates the accounts they own; a team member rates every account.
    """
    rounds = list(ScoringRound.objects.filter(status=ScoringRound.Status.SCORING))
    if not rounds:
        return []
    competitors = Competitor.objects.count()
    accounts = Customer.objects.all()
    if not user_can_manage_rounds(user=user):
        accounts = accounts.filter(owner=user)
    account_count = accounts.count()
    pending = []
    for scoring_round in rounds:
        factors = round_factors(scoring_round=scoring_round)
        # Cells per account for each factor rated by people: us and each competitor on strength.
        subjects = {f.pk: 1 for f in factors[Axis.ATTRACTIVENESS] if not f.metric}
        subjects |= {f.pk: 1 + competitors for f in factors[Axis.STRENGTH]}
        expected = account_count * sum(subjects.values())
        done = Rating.objects.filter(
            round=scoring_round, rater=user, customer__in=accounts, factor_id__in=subjects
        )
        if expected <= done.count():
            continue
        per_account = done.values("customer_id").annotate(cells=Count("pk"))
        complete_accounts = sum(1 for row in per_account if row["cells"] >= sum(subjects.values()))
        per_factor = dict(done.values_list("factor_id").annotate(cells=Count("pk")))
        factors_left = sum(
            1
            for factor_id, cells in subjects.items()
            if per_factor.get(factor_id, 0) < account_count * cells
        )
        pending.append(
            {
                "round": scoring_round,
                "left": expected - done.count(),
                "expected": expected,
                "accounts_left": account_count - complete_accounts,
                "factors_left": factors_left,
            }
        )
    return pending
