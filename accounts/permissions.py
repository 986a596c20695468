"""Who may do what with customers, ledgers and metrics: admins import ledgers and start a
recompute; the customer pages need the model permission."""

from functools import wraps

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied

from kamapp.roles import Role, user_role

# Every customer page checks the model permission (403 without it).
can_view_customers = permission_required("accounts.view_customer", raise_exception=True)


def user_is_admin(user) -> bool:
    return user_role(user) == Role.ADMIN


def admin_required(view):
    """View decorator: 403 for anyone but an admin (sign-in is already required)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def user_can_flag_competitor(*, user, customer) -> bool:
    """Sales managers flag the accounts they own as targeted by a competitor; admins (who
    may change any customer) flag any."""
    if user.has_perm("accounts.change_customer"):
        return True
    return user.has_perm("accounts.view_customer") and customer.owner_id == user.pk
