"""The team's view of each account's attractiveness in three years (a round's option)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer

from .choices import Axis, rating_field
from .factors import Factor
from .rounds import ScoringRound


class ForesightRating(models.Model):
    """The value the team agreed, in the meeting, for one attractiveness factor of an
    account three years from now; today's strength is kept, so only attractiveness moves."""

    round = models.ForeignKey(
        ScoringRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="foresight_ratings",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="foresight_ratings"
    )
    value = rating_field(_("in three years"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("three-year rating")
        verbose_name_plural = _("three-year ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "customer", "factor"], name="foresightrating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) & models.Q(value__lte=10),
                name="foresightrating_value_0_to_10",
            ),
        ]

    audit_select_related = ("customer", "factor")

    def __str__(self):
        return f"{self.audit_label()}: {self.value}"

    def audit_label(self) -> str:
        return f"{self.customer} / {self.factor.name} / {_('in three years')}"

    def get_additional_data(self) -> dict:
        return {"round": self.round_id, "customer": self.customer_id}

    def clean(self):
        if self.factor_id and self.round_id and self.factor.round_id != self.round_id:
            raise ValidationError({"factor": _("The factor belongs to another round.")})
        if self.factor_id and self.factor.axis != Axis.ATTRACTIVENESS:
            raise ValidationError(
                {"factor": _("Only attractiveness factors are rated for three years ahead.")}
            )
