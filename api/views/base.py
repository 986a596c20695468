"""What the API's endpoints share: permission checks and the objects named in a path."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.permissions import user_is_admin
from planning.permissions import user_can_configure_planning
from scoring.models import ScoringRound

from ..schemas import ErrorOut

# The errors each kind of endpoint may answer, all in the one shape (`api.errors`): the
# OpenAPI description lists them.
READ_ERRORS = dict.fromkeys((400, 401, 403, 404, 405, 422, 429), ErrorOut)
WRITE_ERRORS = {**READ_ERRORS, **dict.fromkeys((413, 415), ErrorOut)}


def require_perm(request, permission: str) -> None:
    """The caller (a token's user, or the signed-in user) must hold `permission`."""
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Your role does not allow this."))


def round_or_404(pk: int) -> ScoringRound:
    return get_object_or_404(ScoringRound, pk=pk)


def require_admin(request) -> None:
    """Ledger imports are for admins, as on the upload page."""
    if not user_is_admin(request.user):
        raise PermissionDenied(_("Only admins import ledgers."))


def require_survey_admin(request) -> None:
    """Survey imports are for those who configure planning (admins), as on the upload page."""
    if not user_can_configure_planning(user=request.user):
        raise PermissionDenied(_("Only admins import survey answers."))
