"""The ledger file limits in force: the settings, as the Django-free parser takes them."""

from django.conf import settings

from .parsing import LedgerLimits


def ledger_limits() -> LedgerLimits:
    return LedgerLimits(
        file_bytes=settings.LEDGER_MAX_UPLOAD_BYTES,
        rows=settings.LEDGER_MAX_ROWS,
        columns=settings.LEDGER_MAX_COLUMNS,
        cells=settings.LEDGER_MAX_CELLS,
        xlsx_uncompressed_bytes=settings.LEDGER_MAX_XLSX_UNCOMPRESSED_BYTES,
        xlsx_compression_ratio=settings.LEDGER_MAX_XLSX_COMPRESSION_RATIO,
    )
