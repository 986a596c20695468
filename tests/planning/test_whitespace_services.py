"""The admin's product-group mapping: parsing, validation, saving and the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from planning.models import ProductGroupRule, WhitespaceSettings
from planning.services import product_groups_save, rules_parse, rules_text
from planning.whitespace import GroupRule

pytestmark = pytest.mark.django_db


def test_rules_are_read_with_any_separator_and_comments_skipped():
    text = "# solar\nPV-* = Solar panels\ncbl-100\tCables\n\nINV-1; Inverters\nX9, Misc, etc\n"
    assert rules_parse(text=text) == [
        GroupRule("PV-", True, "Solar panels"),
        GroupRule("CBL-100", False, "Cables"),
        GroupRule("INV-1", False, "Inverters"),
        GroupRule("X9", False, "Misc, etc"),
    ]


def test_a_code_or_prefix_mapped_twice_is_an_error_naming_it():
    with pytest.raises(ValidationError) as caught:
        rules_parse(text="PV-* = Solar\nPV-1 = Solar\npv-* = Other\nPV-1 = Solar\n")
    assert caught.value.messages == [
        "Line 3: “PV-*” is mapped twice (lines 1 and 3).",
        "Line 4: “PV-1” is mapped twice (lines 2 and 4).",
    ]


def test_a_line_without_a_group_or_with_a_misplaced_star_is_refused():
    with pytest.raises(ValidationError) as caught:
        rules_parse(text="PV-100\n* = All\nP*V = Odd\n")
    assert [message.split(":")[0] for message in caught.value.messages] == [
        "Line 1",
        "Line 2",
        "Line 3",
    ]


def test_saving_writes_only_the_changes_and_audits_them(admin_user):
    product_groups_save(
        user=admin_user,
        text="PV-* = Solar\nCBL-1 = Cables\n",
        fallback_prefix_length=0,
        upsell_below_percent=50,
    )
    kept = ProductGroupRule.objects.get(pattern="CBL-1")
    product_groups_save(
        user=admin_user,
        text="PV-* = Solar panels\nCBL-1 = Cables\nINV = Inverters\n",
        fallback_prefix_length=3,
        upsell_below_percent=40,
    )
    assert rules_text(rules=list(ProductGroupRule.objects.order_by("pattern"))) == (
        "CBL-1 = Cables\nINV = Inverters\nPV-* = Solar panels\n"
    )
    assert ProductGroupRule.objects.get(pattern="CBL-1").pk == kept.pk
    config = WhitespaceSettings.load()
    assert (config.fallback_prefix_length, config.upsell_below_percent) == (3, 40)
    solar = ProductGroupRule.objects.get(pattern="PV-")
    entries = LogEntry.objects.get_for_object(solar).order_by("timestamp")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]


def test_a_wrong_mapping_saves_nothing(admin_user):
    ProductGroupRule.objects.create(pattern="PV-", is_prefix=True, group="Solar")
    with pytest.raises(ValidationError):
        product_groups_save(
            user=admin_user,
            text="CBL = Cables\nCBL = Wires\n",
            fallback_prefix_length=0,
            upsell_below_percent=50,
        )
    assert list(ProductGroupRule.objects.values_list("pattern", flat=True)) == ["PV-"]


def test_only_admins_configure_product_groups(team_user):
    with pytest.raises(PermissionDenied):
        product_groups_save(
            user=team_user, text="", fallback_prefix_length=0, upsell_below_percent=50
        )
