"""The meeting's pages: disagreement and consensus, the projector view, decisions, review."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import CompanySettings, Customer
from kamapp.forms import parse_id
from kamapp.htmx import render_page_or_partial

from .. import chart_arrows
from ..forms import MeetingSubsetForm, ReviewCompareForm
from ..models import Decision
from ..permissions import require_meeting_revealed, user_is_coordinator
from ..selectors import (
    MEETING_SUBSETS,
    account_foresight,
    decision_form_values,
    meeting_step,
    review_lists,
    round_comparable,
    round_decision_list,
    round_disagreement_page,
    round_foresight,
    round_matrix,
    round_matrix_seen_by,
    round_previous,
    round_review,
)
from ..services import (
    consensus_record,
    decision_check_allowed,
    decision_record,
    foresight_record,
)
from .base import cell_save, round_or_404

# Cells the disagreement page shows: the most disputed first, the rest on request (rendering
# a hundred consensus inputs made the page the slowest under load), at most the longer list.
DISAGREEMENT_SHOWN = 25
DISAGREEMENT_LISTED = 100


def _revealed_round(request, pk: int):
    scoring_round = round_or_404(pk)
    require_meeting_revealed(user=request.user, scoring_round=scoring_round)
    return scoring_round


@require_GET
def round_disagreement_view(request, pk: int):
    """Cells sorted by how much the raters differ, and who rates high or low (calibration)."""
    scoring_round = _revealed_round(request, pk)
    limit = DISAGREEMENT_LISTED if request.GET.get("all") == "1" else DISAGREEMENT_SHOWN
    page = round_disagreement_page(scoring_round=scoring_round, limit=limit)
    return render(
        request,
        "scoring/round_disagreement.html",
        {
            "round": scoring_round,
            **page,
            "listed": min(page["cells_total"], DISAGREEMENT_LISTED),
            "is_coordinator": user_is_coordinator(user=request.user, scoring_round=scoring_round),
            "editable": scoring_round.in_meeting,
        },
    )


@require_POST
@permission_required("scoring.add_consensus", raise_exception=True)
def consensus_save(request, pk: int):
    """Record one cell's consensus (htmx): the input comes back with its state."""
    context = cell_save(
        request, scoring_round=round_or_404(pk), record=consensus_record, user=request.user
    )
    context |= {"value": context["raw_value"], "saved": not context["error"]}
    status = 422 if context["error"] else 200
    return render(request, "scoring/_consensus_cell.html", context, status=status)


@require_POST
@permission_required("scoring.add_consensus", raise_exception=True)  # who records consensus
def foresight_save(request, pk: int):
    """Record one three-year value in the meeting (htmx): the account's three-year section
    comes back with its expected position, the cell refused with its message and text."""
    scoring_round = round_or_404(pk)
    cell = cell_save(
        request, scoring_round=scoring_round, record=foresight_record, user=request.user
    )
    matrix = round_matrix(scoring_round=scoring_round, customer_ids=[cell["customer"].pk])
    context = {
        "round": scoring_round,
        "customer": cell["customer"],
        "error": cell["error"],
        **account_foresight(foresight=round_foresight(matrix=matrix), row=0, user=request.user),
    }
    for shown in context.get("foresight_cells", []):
        if shown["factor"].pk == cell["factor"].pk:  # the cell just posted: saved, or why not
            shown |= {
                "error": cell["error"],
                "typed": cell["raw_value"],
                "saved": not cell["error"],
            }
    status = 422 if cell["error"] else 200
    return render(request, "scoring/round_meeting.html#foresight", context, status=status)


@require_GET
def round_meeting(request, pk: int):
    """The projector view: the matrix large, one account at a time, decision at hand,
    stepping through all the accounts or those of one subset."""
    scoring_round = _revealed_round(request, pk)
    form = MeetingSubsetForm(request.GET, subsets=MEETING_SUBSETS)
    # A subset the page never offered (an old or edited link) shows them all.
    chosen = form.cleaned_data if form.is_valid() else {"subset": "all", "undecided": False}
    step = meeting_step(
        scoring_round=scoring_round,
        user=request.user,
        step=parse_id(request.GET.get("step", "1")),
        account=parse_id(request.GET.get("account", "")),
        subset=chosen["subset"],
        undecided=chosen["undecided"],
    )
    if step is None:
        return render(
            request, "scoring/round_meeting.html", {"round": scoring_round, "empty": True}
        )
    form = MeetingSubsetForm(initial=chosen, subsets=MEETING_SUBSETS)
    context = {"round": scoring_round, "subset_form": form, **step}
    return render_page_or_partial(request, "scoring/round_meeting.html", "meeting-body", context)


@require_POST
@permission_required("scoring.add_decision", raise_exception=True)
def decision_save(request, pk: int, customer_id: int):
    scoring_round = round_or_404(pk)
    customer = get_object_or_404(Customer, pk=customer_id)
    # Who and when come first, and a refusal is the same whatever the ratings: the box is
    # computed from everyone's, which blind scoring hides until the meeting.
    try:
        decision_check_allowed(scoring_round=scoring_round, user=request.user)
    except ValidationError as exc:
        return render(
            request,
            "scoring/_decision_form.html#refused",
            {"error": " ".join(exc.messages)},
            status=422,
        )
    # Seen as the user may see it (the pooled view, now that the round is in the meeting).
    matrix = round_matrix_seen_by(
        scoring_round=scoring_round, user=request.user, customer_ids=[customer.pk]
    )
    position = matrix.position(0)
    error = ""
    try:
        decision_record(
            scoring_round=scoring_round,
            customer=customer,
            choice=request.POST.get("choice", ""),
            coverage=request.POST.get("coverage", ""),
            rationale=request.POST.get("rationale", ""),
            box=position.box,
            user=request.user,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    context = {
        "round": scoring_round,
        "position": position,
        "error": error,
        "saved": not error,
        **decision_form_values(
            scoring_round=scoring_round, position=position, user=request.user, posted=request.POST
        ),
    }
    return render(request, "scoring/_decision_form.html", context, status=422 if error else 200)


@require_GET
def round_decisions_view(request, pk: int):
    scoring_round = _revealed_round(request, pk)
    decisions = round_decision_list(scoring_round=scoring_round)
    limit = CompanySettings.load().key_account_limit
    key_count = sum(1 for d in decisions if d.choice == Decision.Choice.KEY)
    return render(
        request,
        "scoring/round_decisions.html",
        {
            "round": scoring_round,
            "decisions": decisions,
            "key_count": key_count,
            "key_limit": limit,
            "over_limit": key_count > limit,
        },
    )


@require_GET
def round_review_view(request, pk: int):
    """This round against the previous one, or another decided round the team picks."""
    scoring_round = _revealed_round(request, pk)
    default = round_previous(scoring_round=scoring_round)
    form = ReviewCompareForm(
        request.GET if "compare" in request.GET else None,
        rounds=round_comparable(scoring_round=scoring_round),
        initial={"compare": default},
    )
    if form.is_bound and not form.is_valid():
        raise Http404(_("There is no such decided round to compare with."))
    previous = form.cleaned_data["compare"] if form.is_bound else default
    context = {"round": scoring_round, "previous": previous, "form": form}
    if previous is not None:
        review = round_review(scoring_round=scoring_round, previous=previous)
        context |= review
        context["figure"] = chart_arrows.review_figure(review=review)
        context["lists"] = review_lists(review=review, expanded=request.GET.get("all", ""))
        # "Show all" keeps the round the team picked to compare with.
        context["compare_prefix"] = f"compare={previous.pk}&" if form.is_bound else ""
    return render(request, "scoring/round_review.html", context)
