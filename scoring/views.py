"""Pages for selection rounds."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Axis, ScoringRound
from .selectors import round_factors, round_get, round_list


@require_GET
def round_index(request):
    return render(request, "scoring/round_index.html", {"rounds": round_list()})


@require_GET
def round_detail(request, pk: int):
    try:
        scoring_round = round_get(pk=pk)
    except ScoringRound.DoesNotExist as exc:
        raise Http404 from exc
    factors = round_factors(scoring_round=scoring_round)
    return render(
        request,
        "scoring/round_detail.html",
        {
            "round": scoring_round,
            "attractiveness_factors": factors[Axis.ATTRACTIVENESS],
            "strength_factors": factors[Axis.STRENGTH],
        },
    )
