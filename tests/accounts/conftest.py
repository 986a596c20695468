"""Fixtures for the ledger import tests: a private MEDIA_ROOT and small ledger files."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

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
