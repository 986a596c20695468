"""Survey answers to "would you recommend us?" (0 to 10) and the imports that brought them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, long_text


class SurveyImport(models.Model):
    """One survey file an admin uploaded: its mapping, and what its import did."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for its mapping")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: the file has errors")
        FAILED = "failed", _("Failed: not a survey file")

    file = models.FileField(_("file"), upload_to="surveys/%Y/%m/", max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    date_format = models.CharField(_("date format"), max_length=8, blank=True)
    message = long_text(_("message"))
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_imported = models.PositiveIntegerField(_("answers imported"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("answers already stored"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    errors_file = models.FileField(
        _("errors file"), upload_to="surveys/errors/", max_length=255, blank=True
    )
    # Set when this file's checksum is that of a file imported before: it added nothing.
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("same file as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

    def audit_label(self) -> str:
        return self.file_name


class NpsAnswer(models.Model):
    """One respondent's answer for an account on a day: a score from 0 to 10."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="nps_answers"
    )
    respondent = models.CharField(_("respondent"), max_length=200)
    answered_on = models.DateField(_("date"))
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = long_text(_("comment"))
    survey_import = models.ForeignKey(
        SurveyImport,
        verbose_name=_("survey import"),
        on_delete=models.PROTECT,
        null=True,
        related_name="answers",
    )

    class Meta:
        verbose_name = _("NPS answer")
        verbose_name_plural = _("NPS answers")
        ordering = ["customer", "-answered_on", "respondent"]
        constraints = [
            # The same person's answer for the account on a day is stored once.
            models.UniqueConstraint(
                fields=["customer", "respondent", "answered_on"], name="npsanswer_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="npsanswer_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.customer} / {self.respondent} ({self.answered_on}): {self.score}"

    def audit_label(self) -> str:
        return f"{self.respondent} ({self.customer.name}, {self.answered_on})"
