"""Template context shared by every page."""

from .roles import user_role as role_of


def user_role(request):
    role = role_of(request.user) if hasattr(request, "user") else None
    return {"user_role": role, "user_role_label": role.label if role else ""}
