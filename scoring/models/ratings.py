"""The ratings people give, and the consensus the team agrees in the meeting."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Competitor, Customer

from .choices import Axis, rating_field
from .factors import Factor
from .rounds import ScoringRound


class Rating(models.Model):
    """A rater's 0-10 rating of a customer on a factor.

    On strength factors the subject is us (no competitor) or one competitor, as the
    customer perceives them; attractiveness ratings never name a competitor.
    """

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ratings"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="ratings"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="ratings"
    )
    # PROTECT on people, accounts and competitors: removing one must never take ratings out
    # of a decided round (deactivate the user instead; the admin says what blocks a delete).
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        help_text=_("Empty when the rating is of us."),
    )
    value = rating_field(_("rating"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        # Without it a rater may rate only the accounts they own (sales managers).
        permissions = [("rate_any_account", _("Can rate any account, not only their own"))]
        constraints = [
            # Two partial constraints because NULL competitors are distinct in SQL uniqueness.
            models.UniqueConstraint(
                fields=["factor", "customer", "rater"],
                condition=models.Q(competitor__isnull=True),
                name="rating_unique_us",
            ),
            models.UniqueConstraint(
                fields=["factor", "customer", "rater", "competitor"],
                condition=models.Q(competitor__isnull=False),
                name="rating_unique_competitor",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) & models.Q(value__lte=10),
                name="rating_value_0_to_10",
            ),
        ]
        indexes = [models.Index(fields=["round", "customer"])]

    # The audit trail names a rating by its cell, now, in the reader's language; its
    # values are in the entry's changes.
    audit_select_related = ("customer", "factor", "competitor")

    def __str__(self):
        # The audit trail stores this text; a blind round's history shows others' entries
        # cut at the last ": ", so the value stays last.
        return f"{self.cell_label}: {self.value}"

    def audit_label(self) -> str:
        return self.cell_label

    def get_additional_data(self) -> dict:
        """With the rater: a blind round's history shows only their own entries' values."""
        return {"round": self.round_id, "customer": self.customer_id, "rater": self.rater_id}

    @property
    def cell_label(self) -> str:
        """The cell rated (account, factor, subject), without the value."""
        return f"{self.customer} / {self.factor.name} / {self.subject_label}"

    @property
    def subject_label(self):
        return self.competitor.name if self.competitor_id else _("us")

    def clean(self):
        if self.factor_id and self.round_id and self.factor.round_id != self.round_id:
            raise ValidationError({"factor": _("The factor belongs to another round.")})
        if self.factor_id and self.factor.axis == Axis.ATTRACTIVENESS and self.competitor_id:
            raise ValidationError(
                {"competitor": _("Attractiveness ratings are of the customer, not a competitor.")}
            )


class Consensus(models.Model):
    """The value the team agreed for one rating cell; the matrix uses it over the mean."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="consensus"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="consensus"
    )
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    value = rating_field(_("consensus"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus values")
        constraints = [
            models.UniqueConstraint(
                fields=["factor", "customer"],
                condition=models.Q(competitor__isnull=True),
                name="consensus_unique_us",
            ),
            models.UniqueConstraint(
                fields=["factor", "customer", "competitor"],
                condition=models.Q(competitor__isnull=False),
                name="consensus_unique_competitor",
            ),
        ]

    audit_select_related = ("customer", "factor", "competitor")

    def __str__(self):
        return f"{self.customer} / {self.factor.name}: {self.value}"

    def audit_label(self) -> str:
        subject = self.competitor.name if self.competitor_id else _("us")
        return f"{self.customer} / {self.factor.name} / {subject}"

    def get_additional_data(self) -> dict:
        return {"round": self.round_id, "customer": self.customer_id}
