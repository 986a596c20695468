"""A customer's record shows its segment's name and its owner's username: renaming or
deleting either touches the customers' `updated_at`, as an edit of the customer would
(the API's `changed_since` reads it). A deletion sets the link to null without saving
the customers, so it is touched before. A change of a user's groups drops the roles the
request has read (`kamapp.roles` reads each once per request)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils import timezone

from kamapp.roles import roles_memo_forget

from .models import Customer, Segment


def _customers_touch(**link) -> None:
    Customer.objects.filter(**link).update(updated_at=timezone.now())


def _renamed(instance, name_field: str, update_fields) -> bool:
    if instance.pk is None or (update_fields is not None and name_field not in update_fields):
        return False
    stored = type(instance)._default_manager.filter(pk=instance.pk).values_list(name_field)
    return stored.first() not in (None, (getattr(instance, name_field),))


def segment_saving(sender, instance, update_fields=None, **kwargs):
    if _renamed(instance, "name", update_fields):
        _customers_touch(segment=instance)


def segment_deleting(sender, instance, **kwargs):
    _customers_touch(segment=instance)


def owner_saving(sender, instance, update_fields=None, **kwargs):
    if _renamed(instance, sender.USERNAME_FIELD, update_fields):
        _customers_touch(owner=instance)


def owner_deleting(sender, instance, **kwargs):
    _customers_touch(owner=instance)


def receivers_connect() -> None:
    user_model = get_user_model()
    pre_save.connect(segment_saving, sender=Segment, dispatch_uid="accounts-segment-saving")
    pre_delete.connect(segment_deleting, sender=Segment, dispatch_uid="accounts-segment-deleting")
    pre_save.connect(owner_saving, sender=user_model, dispatch_uid="accounts-owner-saving")
    pre_delete.connect(owner_deleting, sender=user_model, dispatch_uid="accounts-owner-deleting")
    # A role is read once per request (kamapp.roles): a change of groups is read afresh.
    m2m_changed.connect(
        roles_memo_forget, sender=user_model.groups.through, dispatch_uid="accounts-roles-memo"
    )
