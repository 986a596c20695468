"""Fixtures for the ledger import tests: a private MEDIA_ROOT, small ledger files, and a
broker that cannot be reached."""

import datetime as dt
import socket
from pathlib import Path

import pytest
from openpyxl import Workbook

from kamapp.celery import app as celery_app

HEADER_EN = "InvoiceNo,InvoiceDate,CustomerID,CustomerName,StockCode,Description,Quantity,UnitPrice"
LEDGER_EN = f"""{HEADER_EN}
INV1,05/03/2024,C001,PT Sinar,P1,Red pen,2,1500.50
INV1,05/03/2024,C001,PT Sinar,P2,Blue pen,1,100
INV2,13/03/2024,C002,CV Maju,P1,Red pen,3,1500.50
C-INV3,14/03/2024,C001,PT Sinar,P1,Red pen (return),-1,1500.50
"""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def write_file(tmp_path):
    """Write text (or bytes) to a file in tmp_path; returns its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    def write(name: str, rows: list[list]) -> Path:
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def today():
    return dt.date(2024, 12, 31)


def _celery_connections_reset() -> None:
    """Forget the Celery app's broker pool and result backend, built from the old URLs."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_unreachable():
    """The Celery app sends for real, to a Redis broker and backend on a closed port."""
    with socket.socket() as probe:  # a port just free: connecting to it is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    conf = celery_app.conf
    saved = {name: conf[name] for name in ("broker_url", "result_backend", "task_always_eager")}
    conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _celery_connections_reset()
    try:
        yield url
    finally:
        conf.update(saved)
        _celery_connections_reset()
