"""Benchmark: how long a user waits for an answer when the job queue (Redis) is down.

Points the broker and result backend at a Redis port nothing listens on, then through the
pages (Django's test client, DEBUG off so the error pages are the real ones) confirms a
ledger import's mapping and starts a metrics recompute, timing each answer and printing its
status code and what the records say.

    .venv/bin/python bench/broker_down.py                   # redis://127.0.0.1:6390/0
    REDIS_URL=redis://127.0.0.1:6391/0 .venv/bin/python bench/broker_down.py  # another port

Runs on its own SQLite file (bench/out/bench-broker.sqlite3), emptied first.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LEDGER = """InvoiceNo,InvoiceDate,CustomerID,CustomerName,Quantity,UnitPrice
INV1,05/03/2024,C001,PT Sinar,2,1500.50
INV2,13/03/2024,C002,CV Maju,3,1500.50
"""


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6390/0")
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'bench-broker.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kamapp.settings"
    # Loaded as in development (static files without a manifest), served with DEBUG off.
    os.environ["DEBUG"] = "true"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))
    import logging

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    logging.disable(logging.CRITICAL)  # the broker errors each request logs are expected


def timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def main() -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from accounts.ledger.services import ledger_import_create
    from accounts.models import LedgerImport, MetricsRun
    from kamapp.roles import Role, role_group

    call_command("migrate", verbosity=0)
    LedgerImport.objects.all().delete()
    MetricsRun.objects.all().delete()
    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    user.groups.add(role_group(Role.ADMIN))
    client = Client(raise_request_exception=False)
    client.force_login(user)

    print(f"broker: {os.environ['REDIS_URL']} (unreachable)")
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("bench.csv", LEDGER.encode()), user=user
    )
    form = {
        "map_invoice_number": "InvoiceNo",
        "map_invoice_date": "InvoiceDate",
        "map_customer_code": "CustomerID",
        "map_customer_name": "CustomerName",
        "map_quantity": "Quantity",
        "map_unit_price": "UnitPrice",
        "date_format": "dmy",
    }
    url = reverse("ledger:import_mapping", args=[ledger_import.pk])
    response, seconds = timed(lambda: client.post(url, form, secure=True))
    ledger_import.refresh_from_db()
    print(
        f"confirm import:   HTTP {response.status_code} after {seconds:5.2f} s; "
        f"record: {ledger_import.status} {ledger_import.message!r}"
    )
    url = reverse("accounts:metrics_recompute_start")
    response, seconds = timed(lambda: client.post(url, secure=True))
    run = MetricsRun.objects.first()
    record = f"{run.status} {run.error!r}" if run else "no run recorded"
    print(f"start recompute:  HTTP {response.status_code} after {seconds:5.2f} s; record: {record}")


if __name__ == "__main__":
    main()
