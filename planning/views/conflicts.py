"""The accounts where the data and the selection disagree."""

from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from kamapp.htmx import render_page_or_partial

from ..permissions import user_can_view_planning
from ..selectors import account_conflicts, conflict_kinds


@require_GET
def conflict_index(request):
    if not user_can_view_planning(user=request.user):
        raise PermissionDenied
    kinds = conflict_kinds()
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(kinds) else ""
    context = {**account_conflicts(kind=kind), "kinds": kinds, "kind": kind}
    return render_page_or_partial(request, "planning/conflicts.html", "conflict-table", context)
