"""Account plans: one a year per account, with its goals, SWOT and relationship stage, its
SMART objectives (bound to a ledger metric or typed by hand, with dated values) and the
actions under each objective."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, long_text


class RelationshipStage(models.TextChoices):
    """How far the relationship has grown (KAISM.md section 4)."""

    FIRST_APPROACH = "first_approach", _("First approach")
    CLOSER = "closer", _("Closer relationship")
    HIGH_COMMITMENT = "high_commitment", _("High commitment")
    HIGH_TRUST = "high_trust", _("High trust")


class PlanMetric(models.TextChoices):
    """The ledger metrics an objective can be bound to (over the metrics period)."""

    REVENUE = "revenue", _("Revenue")
    MARGIN = "margin", _("Margin")
    MONTHS_ACTIVE = "months_active", _("Months with purchases")
    PRODUCT_GROUPS = "product_groups", _("Product groups bought")


class AccountPlan(models.Model):
    """An account's plan for one year: the customer's goals beside ours, a SWOT and the
    relationship stage as the team judges it."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    customer_goals = long_text(_("the customer's goals"))
    our_goals = long_text(_("our goals"))
    strengths = long_text(_("strengths"))
    weaknesses = long_text(_("weaknesses"))
    opportunities = long_text(_("opportunities"))
    threats = long_text(_("threats"))
    relationship_stage = models.CharField(
        _("relationship stage"), max_length=20, choices=RelationshipStage.choices, blank=True
    )
    # The plan this one started from (last year's), if any.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("started from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["customer__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "year"], name="accountplan_unique_year")
        ]

    def __str__(self):
        return f"{self.customer.name} {self.year}"

    def audit_label(self) -> str:
        return str(self)


class Objective(models.Model):
    """A SMART objective of a plan: who owns it, what is measured, from where to where and
    by when. A measure bound to a ledger metric is tracked after every recompute."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        DONE = "done", _("Done")

    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(_("objective"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    # Blank: typed by hand.
    metric = models.CharField(
        _("ledger metric"), max_length=20, choices=PlanMetric.choices, blank=True
    )
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "due_date", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.baseline is not None and self.baseline == self.target:
            raise ValidationError(
                {"target": _("The target must differ from the baseline, or there is no progress.")}
            )
        if not self.metric and not self.measure:
            raise ValidationError(
                {"measure": _("Say what is measured, or bind the objective to a ledger metric.")}
            )

    def audit_label(self) -> str:
        return f"{self.title} ({self.plan})"


class ObjectiveValue(models.Model):
    """The measure's value on a date: typed by someone, or taken from a metrics run."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="values"
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    # None: recorded from the ledger by a metrics recompute.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objective value")
        verbose_name_plural = _("objective values")
        ordering = ["objective", "date"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "date"], name="objectivevalue_unique_date")
        ]

    def __str__(self):
        return f"{self.objective} {self.date:%Y-%m-%d}: {self.value}"

    def audit_label(self) -> str:
        return str(self)


class PlanAction(models.Model):
    """A step towards an objective: who does it, by when, and how far it is."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["objective", "due_date", "id"]

    def __str__(self):
        return self.title

    def audit_label(self) -> str:
        return f"{self.title} ({self.objective.plan})"

    def is_overdue(self, *, today) -> bool:
        """Due before today and not done: on its due day an action is not yet overdue."""
        return self.status != self.Status.DONE and self.due_date < today
