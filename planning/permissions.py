"""Who may change an account's planning (its plan, contacts, contact log, coverage).

Sales managers change the planning of the accounts they own; the selection team and admins
change any account's (`planning.plan_any_account`); reading needs only the right to view
customers. Admins alone configure the box defaults, budgets, product groups and surveys.
"""

from accounts.permissions import user_is_admin


def user_can_view_planning(*, user) -> bool:
    return user.has_perm("accounts.view_customer")


def user_can_edit_planning(*, user, customer) -> bool:
    if not user.has_perm("accounts.view_customer"):
        return False
    return user.has_perm("planning.plan_any_account") or customer.owner_id == user.pk


def user_can_configure_planning(*, user) -> bool:
    return user_is_admin(user)
