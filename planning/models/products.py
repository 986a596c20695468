"""Product groups for whitespace: the admin's mapping of the ledger's product codes to
groups (exact codes and code prefixes), and what an unmapped code falls into."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductGroupRule(models.Model):
    """One line of the mapping: a product code, or a code prefix, and its group.

    Codes match case-insensitively; an exact code wins over any prefix, and the longest
    matching prefix wins over shorter ones (`planning.whitespace.GroupMap`).
    """

    pattern = models.CharField(_("code or prefix"), max_length=64)
    is_prefix = models.BooleanField(_("prefix"), default=False)
    group = models.CharField(_("product group"), max_length=100)

    class Meta:
        verbose_name = _("product group rule")
        verbose_name_plural = _("product group rules")
        ordering = ["group", "pattern", "is_prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern", "is_prefix"], name="productgrouprule_unique_pattern"
            )
        ]

    def __str__(self):
        return f"{self.pattern}{'*' if self.is_prefix else ''} → {self.group}"

    def audit_label(self) -> str:
        return str(self)


class WhitespaceSettings(models.Model):
    """The admin's whitespace settings (one row): the fall-back for codes no rule maps, and
    how far below its segment's median an account's spend must be to signal an up-sell."""

    fallback_prefix_length = models.PositiveSmallIntegerField(
        _("group unmapped codes by their first characters"),
        default=0,
        validators=[MaxValueValidator(64)],
        help_text=_("0: every unmapped code goes into the group “Unmapped”."),
    )
    upsell_below_percent = models.PositiveSmallIntegerField(
        _("up-sell below (percentage of the segment's median)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "An account buying a group for less than this share of the median spend of the "
            "segment's buyers of that group is an up-sell signal."
        ),
    )

    class Meta:
        verbose_name = _("whitespace settings")
        verbose_name_plural = _("whitespace settings")

    def __str__(self):
        return str(_("Whitespace settings"))

    def audit_label(self) -> str:
        return str(self)

    @classmethod
    def load(cls) -> "WhitespaceSettings":
        return cls.objects.get_or_create(pk=1)[0]
