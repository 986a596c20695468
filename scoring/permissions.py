"""Who may do what in selection rounds: every "may this user ..." rule and the view decorators.

Model permissions come from the role table (`kamapp/roles.py`); the rules here add what a
permission alone cannot say: whose accounts, which round's team, which stage.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import Customer
from kamapp.roles import Role, user_role

from .models import RoundMember, ScoringRound

# Every round page checks a model permission (403 without it); objects are checked in services.
can_view_rounds = permission_required("scoring.view_scoringround", raise_exception=True)
can_rate = permission_required("scoring.change_rating", raise_exception=True)


def user_can_rate(*, user, customer: Customer) -> bool:
    """Sales managers rate only the accounts they own; the team and admins rate any."""
    if not user.has_perm("scoring.change_rating"):
        return False
    return user.has_perm("scoring.rate_any_account") or customer.owner_id == user.pk


def user_can_manage_rounds(*, user) -> bool:
    return user.has_perm("scoring.change_scoringround")


def user_is_coordinator(*, user, scoring_round: ScoringRound) -> bool:
    """The round's coordinator leads the meeting; admins may stand in."""
    if user_role(user) == Role.ADMIN:
        return True
    return RoundMember.objects.filter(
        round=scoring_round, user=user, team_role=RoundMember.TeamRole.COORDINATOR
    ).exists()


def user_leads_team(*, user, scoring_round: ScoringRound) -> bool:
    """The coordinator changes the round's team; until there is one, anyone who manages
    rounds may appoint the first."""
    if user_is_coordinator(user=user, scoring_round=scoring_round):
        return True
    return (
        user_can_manage_rounds(user=user)
        and not scoring_round.members.filter(team_role=RoundMember.TeamRole.COORDINATOR).exists()
    )


def user_can_change_team(*, user, scoring_round: ScoringRound) -> bool:
    """Whether the team page offers its form: the permission, an open round, the lead."""
    return (
        not scoring_round.is_locked
        and user.has_perm("scoring.change_roundmember")
        and user_leads_team(user=user, scoring_round=scoring_round)
    )


def user_can_move_stage(*, user, scoring_round: ScoringRound) -> bool:
    return user_can_manage_rounds(user=user) and user_is_coordinator(
        user=user, scoring_round=scoring_round
    )


def user_follows_meeting(*, user, scoring_round: ScoringRound) -> bool:
    """The selection team, and anyone who is a member of this round's team."""
    return (
        user.has_perm("scoring.view_decision")
        or RoundMember.objects.filter(round=scoring_round, user=user).exists()
    )


def require_coordinator(*, user, scoring_round: ScoringRound) -> None:
    if not user_is_coordinator(user=user, scoring_round=scoring_round):
        raise PermissionDenied(_("Only the round's coordinator can do this."))


def require_meeting_revealed(*, user, scoring_round: ScoringRound) -> None:
    """The meeting's pages: for the selection team and the round's members, and only once
    the ratings are revealed (blind scoring)."""
    if not user_follows_meeting(user=user, scoring_round=scoring_round):
        raise PermissionDenied(_("The meeting's pages are for the round's selection team."))
    if not scoring_round.ratings_revealed:
        raise PermissionDenied(_("Ratings are revealed when the round reaches the meeting."))


def round_view_rater(*, scoring_round: ScoringRound, user):
    """Whose ratings a user may see: only their own until the meeting reveals everyone's
    (None: everyone's)."""
    return None if scoring_round.ratings_revealed else user
