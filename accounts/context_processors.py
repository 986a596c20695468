"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from kamapp.roles import user_role as role_of

from .models import CompanySettings


def user_role(request):
    role = role_of(request.user) if hasattr(request, "user") else None
    return {"user_role": role, "user_role_label": role.label if role else ""}


def company_currency(request):
    """The company's currency for the `money` filter, read only by pages that show money."""
    return {"company_currency": SimpleLazyObject(lambda: CompanySettings.load().currency)}
