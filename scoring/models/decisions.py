"""What the team decided for each account in the meeting."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, long_text

from .rounds import ScoringRound


class Decision(models.Model):
    """What the team decided for one account in a round, and why."""

    class Choice(models.TextChoices):
        KEY = "key", _("Selected as key account")
        KEY_DEVELOPMENT = "key_development", _("Key development")
        MAINTENANCE = "maintenance", _("Maintenance")
        OPPORTUNISTIC = "opportunistic", _("Opportunistic")
        DESELECTED = "deselected", _("De-selected")

    class Coverage(models.TextChoices):
        FARMER = "farmer", _("Farmer")
        HUNTER = "hunter", _("Hunter")
        MILK_ROUND = "milk_round", _("Milk round")

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="decisions"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="decisions"
    )
    choice = models.CharField(_("decision"), max_length=20, choices=Choice.choices)
    coverage = models.CharField(_("coverage"), max_length=12, choices=Coverage.choices)
    rationale = long_text(_("rationale"))
    box_at_decision = models.CharField(_("box when decided"), max_length=20, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        ordering = ["round", "customer__name"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["round", "customer"], name="decision_unique_customer")
        ]

    audit_select_related = ("customer",)

    def __str__(self):
        return f"{self.customer}: {self.get_choice_display()}"

    def audit_label(self) -> str:
        """The account; the decision, as it was, is in the entry's changes."""
        return str(self.customer)

    def get_additional_data(self) -> dict:
        return {"round": self.round_id, "customer": self.customer_id}
