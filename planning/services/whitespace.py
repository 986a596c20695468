"""Writes for whitespace: the admin's product-group mapping and whitespace settings."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import whitespace
from ..models import ProductGroupRule, WhitespaceSettings
from ..permissions import user_can_configure_planning

# A rule line: the code or prefix (a trailing * makes a prefix), a separator (a tab, as
# pasted from a spreadsheet, or = , ;), then the group.
_RULE_LINE = re.compile(r"(?P<pattern>[^\t=,;]*?)\s*[\t=,;]\s*(?P<group>.*)")
_PATTERN_MAX = ProductGroupRule._meta.get_field("pattern").max_length
_GROUP_MAX = ProductGroupRule._meta.get_field("group").max_length


def rules_text(*, rules: list[ProductGroupRule]) -> str:
    """The mapping as the admin edits it: one `CODE = Group` or `PREFIX* = Group` a line."""
    return "".join(
        f"{rule.pattern}{'*' if rule.is_prefix else ''} = {rule.group}\n" for rule in rules
    )


def rules_parse(*, text: str) -> list[whitespace.GroupRule]:
    """The rules of the mapping's text; blank lines and lines starting with # are skipped.

    Raises ValidationError naming each wrong line: no separator or group, a * anywhere but
    at the end, a code or group too long, and a code or prefix mapped twice (both lines).
    """
    rules, errors, first_line = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _RULE_LINE.fullmatch(line)
        pattern = match["pattern"].strip() if match else ""
        group = match["group"].strip() if match else ""
        if not pattern or not group:
            errors.append(
                _("Line %(line)s: write a code or a prefix, then its group (“PV-* = Solar”).")
                % {"line": number}
            )
            continue
        is_prefix = pattern.endswith("*")
        code = whitespace.code_key(pattern.removesuffix("*"))
        if not code or "*" in code:
            errors.append(
                _("Line %(line)s: a * may only end a prefix, after at least one character.")
                % {"line": number}
            )
            continue
        if len(code) > _PATTERN_MAX or len(group) > _GROUP_MAX:
            errors.append(
                _(
                    "Line %(line)s: a code has at most %(code)s characters, a group at most "
                    "%(group)s."
                )
                % {"line": number, "code": _PATTERN_MAX, "group": _GROUP_MAX}
            )
            continue
        key = (code, is_prefix)
        if key in first_line:
            shown = code + ("*" if is_prefix else "")
            errors.append(
                _("Line %(line)s: “%(code)s” is mapped twice (lines %(first)s and %(line)s).")
                % {"line": number, "code": shown, "first": first_line[key]}
            )
            continue
        first_line[key] = number
        rules.append(whitespace.GroupRule(pattern=code, is_prefix=is_prefix, group=group))
    if errors:
        raise ValidationError(errors)
    return rules


@transaction.atomic
def product_groups_save(
    *, user, text: str, fallback_prefix_length: int, upsell_below_percent: int
) -> list[ProductGroupRule]:
    """Replace the product-group mapping with the rules of `text` and save the settings.

    Only the rules that changed are written (a group renamed is an update, a line removed
    a delete), so the audit trail shows each change. Admins only; all or nothing.
    """
    if not user_can_configure_planning(user=user):
        raise PermissionDenied(_("Only admins configure product groups."))
    wanted = {(rule.pattern, rule.is_prefix): rule.group for rule in rules_parse(text=text)}
    config = WhitespaceSettings.objects.select_for_update().get_or_create(pk=1)[0]
    config.fallback_prefix_length = fallback_prefix_length
    config.upsell_below_percent = upsell_below_percent
    config.full_clean()
    config.save()
    existing = {(rule.pattern, rule.is_prefix): rule for rule in ProductGroupRule.objects.all()}
    for key, rule in existing.items():
        if key not in wanted:
            rule.delete()
    for (pattern, is_prefix), group in wanted.items():
        rule = existing.get((pattern, is_prefix))
        if rule is None:
            rule = ProductGroupRule(pattern=pattern, is_prefix=is_prefix, group=group)
        elif rule.group == group:
            continue
        rule.group = group
        rule.full_clean()
        rule.save()
    return list(ProductGroupRule.objects.order_by("group", "pattern", "is_prefix"))
