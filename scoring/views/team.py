"""The round's team and its stages."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..forms import RoundForesightForm
from ..models import RoundMember, ScoringRound
from ..permissions import (
    can_view_rounds,
    user_can_change_team,
    user_can_manage_rounds,
    user_can_move_stage,
)
from ..services import STAGE_FLOW, round_foresight_set, round_member_set, round_transition
from .base import round_or_404


@require_GET
@can_view_rounds
def round_team(request, pk: int):
    scoring_round = round_or_404(pk)
    members = scoring_round.members.select_related("user")
    return render(
        request,
        "scoring/round_team.html",
        {
            "round": scoring_round,
            "members": members,
            "team_roles": RoundMember.TeamRole.choices,
            "candidates": get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk__in=members.values("user_id"))
            .order_by("username"),
            "can_move_stage": user_can_move_stage(user=request.user, scoring_round=scoring_round),
            "can_change_team": user_can_change_team(user=request.user, scoring_round=scoring_round),
            "foresight_form": RoundForesightForm(initial={"foresight": scoring_round.foresight}),
            "can_set_options": user_can_manage_rounds(user=request.user)
            and not scoring_round.is_locked,
            "next_stages": [
                ScoringRound.Status(status) for status in STAGE_FLOW.get(scoring_round.status, ())
            ],
        },
    )


@require_POST
@permission_required("scoring.change_roundmember", raise_exception=True)
def round_member_save(request, pk: int):
    scoring_round = round_or_404(pk)
    member = get_object_or_404(get_user_model(), pk=request.POST.get("user") or 0)
    team_role = request.POST.get("team_role", "")
    if team_role and team_role not in RoundMember.TeamRole.values:
        messages.error(request, _("Choose a team role."))
        return redirect("scoring:round_team", pk=pk)
    try:
        round_member_set(
            scoring_round=scoring_round, member=member, team_role=team_role, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("scoring:round_team", pk=pk)


@require_POST
@permission_required("scoring.change_scoringround", raise_exception=True)
def round_stage(request, pk: int):
    scoring_round = round_or_404(pk)
    try:
        round_transition(
            scoring_round=scoring_round, to_status=request.POST.get("status", ""), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The round is now in %(stage)s.") % {"stage": scoring_round.get_status_display()},
        )
    return redirect("scoring:round_team", pk=pk)


@require_POST
@permission_required("scoring.change_scoringround", raise_exception=True)
def round_foresight_save(request, pk: int):
    """The round's three-year option; refused once the round is decided."""
    scoring_round = round_or_404(pk)
    form = RoundForesightForm(request.POST)
    form.is_valid()  # a checkbox: absent is off, so the form is always valid
    try:
        round_foresight_set(
            scoring_round=scoring_round,
            foresight=form.cleaned_data["foresight"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round's options are saved."))
    return redirect("scoring:round_team", pk=pk)
