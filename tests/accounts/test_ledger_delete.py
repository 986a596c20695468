"""A file imported before is named on its mapping page before anything runs; abandoned,
failed and rejected imports can be deleted by an admin, never one done or under way."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.ledger.services import ledger_import_create, ledger_import_delete, ledger_import_retry
from accounts.models import LedgerImport, LedgerLine
from tests.accounts.conftest import LEDGER_EN
from tests.accounts.test_ledger_views import BAD_ROWS, confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (the queued import, the files deleted) as they come."""
    return django_capture_on_commit_callbacks


def mapping_page(client, ledger_import) -> str:
    return client.get(reverse("ledger:import_mapping", args=[ledger_import.pk])).content.decode()


def test_a_file_imported_before_is_named_on_its_mapping_page(admin, admin_user, capture):
    first = confirm(admin, upload(admin, LEDGER_EN, "march.csv"), capture)
    assert first.status == LedgerImport.Status.DONE
    again = upload(admin, LEDGER_EN, "march-copy.csv")
    content = mapping_page(admin, again)
    warning = content.split('id="import-duplicate"')[1].split("</div>")[0]
    assert f"“march.csv”, import #{first.pk} on" in warning
    assert f"by {admin_user.username}" in warning
    assert "Importing it again adds nothing" in warning
    assert reverse("ledger:import_detail", args=[first.pk]) in warning
    assert reverse("ledger:import_delete", args=[again.pk]) in warning
    assert LedgerImport.objects.get(pk=again.pk).status == LedgerImport.Status.UPLOADED

    again = confirm(admin, again, capture)  # the admin goes on
    assert (again.rows_imported, again.rows_duplicate) == (0, 4)
    assert LedgerLine.objects.count() == 4


def test_no_warning_for_another_file_or_after_an_import_that_stored_nothing(admin, capture):
    rejected = confirm(admin, upload(admin, LEDGER_EN + BAD_ROWS), capture)
    assert rejected.status == LedgerImport.Status.REJECTED
    assert 'id="import-duplicate"' not in mapping_page(admin, upload(admin, LEDGER_EN + BAD_ROWS))
    confirm(admin, upload(admin, LEDGER_EN), capture)
    other = upload(admin, LEDGER_EN.replace("INV2", "INV9"))
    assert 'id="import-duplicate"' not in mapping_page(admin, other)


def test_a_rejected_import_is_deleted_after_a_confirmation_with_its_files(admin, capture):
    rejected = confirm(admin, upload(admin, LEDGER_EN + BAD_ROWS), capture)
    names = [rejected.file.name, rejected.errors_file.name]
    assert all(default_storage.exists(name) for name in names)
    detail = admin.get(reverse("ledger:import_detail", args=[rejected.pk])).content.decode()
    url = reverse("ledger:import_delete", args=[rejected.pk])
    assert f'href="{url}"' in detail

    page = admin.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "csrfmiddlewaretoken" in content
    assert f'action="{url}"' in content
    assert LedgerImport.objects.filter(pk=rejected.pk).exists()  # asking deletes nothing

    with capture(execute=True):
        response = admin.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:import_index")
    assert not LedgerImport.objects.filter(pk=rejected.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    index = admin.get(reverse("ledger:import_index")).content.decode()
    assert "was deleted" in index


def test_an_abandoned_upload_can_be_deleted(admin):
    abandoned = upload(admin, LEDGER_EN)
    assert reverse("ledger:import_delete", args=[abandoned.pk]) in mapping_page(admin, abandoned)
    assert admin.post(reverse("ledger:import_delete", args=[abandoned.pk])).status_code == 302
    assert not LedgerImport.objects.exists()


@pytest.mark.parametrize("status", ["done", "queued", "running"])
def test_an_import_done_or_under_way_is_not_deleted(admin, admin_user, status):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    LedgerImport.objects.filter(pk=ledger_import.pk).update(status=status)
    url = reverse("ledger:import_delete", args=[ledger_import.pk])
    detail = reverse("ledger:import_detail", args=[ledger_import.pk])
    for response in (admin.get(url), admin.post(url)):
        assert response.status_code == 302
        assert response["Location"] == detail
    assert LedgerImport.objects.filter(pk=ledger_import.pk).exists()
    assert default_storage.exists(ledger_import.file.name)
    content = admin.get(detail).content.decode()
    expected = "This import is done" if status == "done" else "This import is under way"
    assert expected in content
    assert f'href="{url}"' not in content


def test_the_service_refuses_non_admins_and_imports_done(admin_user, manager_user):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    with pytest.raises(PermissionDenied):
        ledger_import_delete(ledger_import=ledger_import, user=manager_user)
    LedgerImport.objects.filter(pk=ledger_import.pk).update(status="done")
    with pytest.raises(ValidationError, match="This import is done"):
        ledger_import_delete(ledger_import=ledger_import, user=admin_user)
    assert LedgerImport.objects.filter(pk=ledger_import.pk).exists()


def test_deleting_needs_the_csrf_token(admin_user):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(reverse("ledger:import_delete", args=[ledger_import.pk])).status_code == 403
    assert LedgerImport.objects.filter(pk=ledger_import.pk).exists()


def test_a_failed_import_keeps_the_file_its_retry_still_uses(admin, admin_user, capture):
    rejected = confirm(admin, upload(admin, LEDGER_EN + BAD_ROWS), capture)
    with capture(execute=True):
        again = ledger_import_retry(ledger_import=rejected, user=admin_user)
    again.refresh_from_db()
    assert again.status == LedgerImport.Status.DONE
    with capture(execute=True):
        ledger_import_delete(ledger_import=rejected, user=admin_user)
    assert default_storage.exists(again.file.name)
    assert not default_storage.exists(rejected.errors_file.name)
