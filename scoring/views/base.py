"""What the round pages share: the round named in the URL, and the save of one cell."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..forms import posted_cell
from ..models import ScoringRound


def round_or_404(pk: int) -> ScoringRound:
    return get_object_or_404(ScoringRound, pk=pk)


def cell_save(request, *, scoring_round: ScoringRound, record, **extra) -> dict:
    """Save one posted cell (a rating or a consensus value) through `record`, a service
    taking the cell and the typed value; the cell and the outcome, for its fragment."""
    customer, factor, competitor = posted_cell(request.POST, scoring_round=scoring_round)
    raw_value = request.POST.get("value", "")
    error = ""
    try:
        record(
            scoring_round=scoring_round,
            customer=customer,
            factor=factor,
            competitor=competitor,
            raw_value=raw_value,
            **extra,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return {
        "round": scoring_round,
        "customer": customer,
        "factor": factor,
        "competitor": competitor,
        "raw_value": raw_value,
        "error": error,
        "editable": True,
    }
