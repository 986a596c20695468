"""python manage.py import_ledger: the same import from the command line."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from accounts.models import LedgerImport, LedgerLine
from tests.accounts.conftest import LEDGER_EN

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def import_ledger(*args):
    out, err = StringIO(), StringIO()
    call_command("import_ledger", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_file_and_prints_a_report(write_file):
    out, err = import_ledger(write_file("en.csv", LEDGER_EN))
    assert "en.csv: Imported" in out
    assert "imported 4; already there 0" in out
    assert "storing" in err and "4/4" in err
    assert LedgerLine.objects.count() == 4


def test_the_command_accepts_a_mapping_and_a_date_format(write_file):
    path = write_file("odd.csv", "Doc,When,Who,Value\nD1,03/25/2024,K1,5\n")
    import_ledger(
        path, "--map", "invoice_number=Doc", "--map", "invoice_date=When",
        "--map", "customer_code=Who", "--map", "amount=Value", "--date-format", "mdy",
        "--no-progress",
    )  # fmt: skip
    assert str(LedgerLine.objects.get().invoice_date) == "2024-03-25"


def test_the_command_accepts_a_strptime_date_format(write_file):
    path = write_file("dots.csv", "Invoice,Date,Customer,Amount\nI1,2024.25.03,C1,5\n")
    import_ledger(path, "--date-format", "%Y.%d.%m", "--no-progress")
    assert str(LedgerLine.objects.get().invoice_date) == "2024-03-25"


def test_the_command_refuses_a_file_with_errors_and_lists_them(write_file):
    path = write_file("bad.csv", LEDGER_EN + "INV5,32/03/2024,C003,,P1,,1,10\n")
    with pytest.raises(CommandError, match="Use --valid-only"):
        import_ledger(path, "--no-progress")
    assert LedgerLine.objects.count() == 0
    assert LedgerImport.objects.get().status == LedgerImport.Status.REJECTED


def test_the_command_imports_valid_rows_with_valid_only(write_file):
    path = write_file("bad.csv", LEDGER_EN + "INV5,32/03/2024,C003,,P1,,1,10\n")
    out, _err = import_ledger(path, "--valid-only", "--no-progress")
    assert "bad.csv: row 6, column 'InvoiceDate', value '32/03/2024': not a date" in out
    assert LedgerLine.objects.count() == 4


def test_the_command_rejects_an_unknown_field():
    with pytest.raises(CommandError, match="expected FIELD=COLUMN"):
        import_ledger(__file__, "--map", "colour=red")


def test_the_command_says_why_a_file_is_not_a_ledger(write_file):
    with pytest.raises(CommandError, match="Nothing was imported"):
        import_ledger(write_file("empty.csv", b""), "--no-progress")
    assert LedgerImport.objects.get().message == "The file is empty."


def _big_ledger(path: Path, rows: int) -> None:
    numbers = np.arange(rows)
    pd.DataFrame(
        {
            "Invoice": "I" + pd.Series(numbers // 4).astype(str),
            "Date": "05/03/2024",
            "Customer": "C" + pd.Series(numbers % 500).astype(str),
            "Amount": numbers % 1000 + 1,
        }
    ).to_csv(path, index=False)


VISIBLE_LINES = (
    "SELECT count(*) FROM accounts_ledgerline WHERE ledger_import_id NOT IN"
    " (SELECT id FROM accounts_ledgerimport WHERE status <> 'done')"
)


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_worker_killed_while_storing_counts_nothing_and_a_rerun_imports_all_once(tmp_path):
    database = tmp_path / "killed.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        LEDGER_IMPORT_CHUNK_LINES="50000",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    ledger = tmp_path / "big.csv"
    _big_ledger(ledger, 250_000)

    worker = subprocess.Popen(
        [*manage, "import_ledger", str(ledger)], env=env, cwd=ROOT, stderr=subprocess.PIPE
    )
    seen = b""
    deadline = time.monotonic() + 120
    while b"100,000/" not in seen.rpartition(b"storing")[2] and time.monotonic() < deadline:
        chunk = os.read(worker.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    assert worker.poll() is None, seen.decode(errors="replace")
    worker.send_signal(signal.SIGKILL)  # a chunk or two committed, the next one under way
    worker.wait()

    with sqlite3.connect(database) as db:
        ((killed, status),) = db.execute("SELECT id, status FROM accounts_ledgerimport")
        (stored,) = db.execute("SELECT count(*) FROM accounts_ledgerline").fetchone()
        assert status == "running" and stored in (50_000, 100_000)  # whole chunks only
        assert db.execute(VISIBLE_LINES).fetchone() == (0,)  # none counts: not done
        # Its worker is dead: silent for longer than the stale time.
        db.execute("UPDATE accounts_ledgerimport SET heartbeat_at = '2000-01-01 00:00:00'")
    rerun = subprocess.run(
        [*manage, "import_ledger", str(ledger), "--no-progress"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(database) as db:
        # The rerun failed the dead import (and deleted its chunks) before storing its own.
        assert db.execute(
            "SELECT status FROM accounts_ledgerimport WHERE id = ?", [killed]
        ).fetchone() == ("failed",)
        by_import = db.execute(
            "SELECT ledger_import_id, count(*), count(DISTINCT invoice_number || '/' || line_key)"
            " FROM accounts_ledgerline GROUP BY ledger_import_id"
        ).fetchall()
        assert len(by_import) == 1 and by_import[0][0] != killed
        assert by_import[0][1:] == (250_000, 250_000)
        assert db.execute(VISIBLE_LINES).fetchone() == (250_000,)
        assert db.execute(
            "SELECT rows_imported, rows_duplicate FROM accounts_ledgerimport WHERE id = ?",
            [by_import[0][0]],
        ).fetchone() == (250_000, 0)


def test_without_map_the_command_prints_the_guessed_mapping_it_used(write_file):
    out, _err = import_ledger(write_file("en.csv", LEDGER_EN), "--no-progress")
    assert "mapping (guessed from the header unless given with --map):" in out
    assert "  invoice_number = InvoiceNo\n" in out
    assert "  unit_price = UnitPrice\n" in out
    assert "(--map)" not in out
    assert LedgerImport.objects.get().mapping["customer_code"] == "CustomerID"


def test_one_map_overrides_its_field_and_keeps_the_other_guesses(write_file):
    path = write_file("client.csv", "Invoice #,Date,Client,Amount\nI1,2024-03-01,K1,5\n")
    out, _err = import_ledger(path, "--map", "customer_code=client", "--no-progress")
    assert "  customer_code = Client  (--map)\n" in out
    assert "  invoice_number = Invoice #\n" in out
    assert LedgerImport.objects.get().mapping == {
        "invoice_number": "Invoice #",
        "invoice_date": "Date",
        "customer_code": "Client",
        "customer_name": "Client",
        "amount": "Amount",
    }
    line = LedgerLine.objects.get()
    assert (line.invoice_number, line.customer.code, str(line.amount)) == ("I1", "K1", "5.0000")


def test_a_missing_field_prints_the_header_and_the_map_line_to_add(write_file):
    path = write_file("client.csv", "Invoice #,Date,Client,Amount\nI1,2024-03-01,K1,5\n")
    with pytest.raises(CommandError) as raised:
        import_ledger(path, "--no-progress")
    message = str(raised.value)
    assert "Customer code must be mapped (closest columns of the file: “Client”)" in message
    assert "Columns of the file: Invoice #, Date, Client, Amount" in message
    assert "  --map customer_code=Client" in message
    assert not LedgerImport.objects.exists()


def test_a_mapped_column_the_file_lacks_is_named_with_the_closest_one(write_file):
    path = write_file("x.csv", "Invoice,Date,Customer Code,Amount\nI1,2024-03-01,K1,5\n")
    with pytest.raises(CommandError) as raised:
        import_ledger(path, "--map", "amount=Amnt", "--no-progress")
    assert "  --map amount=Amount  (no column 'Amnt')" in str(raised.value)
    with pytest.raises(CommandError) as raised:
        import_ledger(path, "--map", "amount=", "--no-progress")  # dropped: offered again
    assert "  --map amount=Amount\n" in str(raised.value) + "\n"


def test_a_missing_field_with_no_close_column_gets_a_placeholder(write_file):
    path = write_file("x.csv", "Invoice,Date,Customer Code,Colour\nI1,2024-03-01,K1,red\n")
    with pytest.raises(CommandError) as raised:
        import_ledger(path, "--no-progress")
    assert "  --map amount=COLUMN" in str(raised.value)


def test_a_suggested_column_with_spaces_is_quoted_for_the_shell(write_file):
    path = write_file("x.csv", "Invoice,Date,Kode Klien,Amount\nI1,2024-03-01,K1,5\n")
    with pytest.raises(CommandError) as raised:
        import_ledger(path, "--no-progress")
    assert "  --map 'customer_code=Kode Klien'" in str(raised.value)
