"""What a round's tabs offer the reader: the meeting's pages only to those who follow it."""

from django import template

from ..permissions import user_follows_meeting

register = template.Library()


@register.filter
def followed_by(scoring_round, user) -> bool:
    """`{% if round|followed_by:user %}`: the selection team and the round's members."""
    return user_follows_meeting(user=user, scoring_round=scoring_round)
