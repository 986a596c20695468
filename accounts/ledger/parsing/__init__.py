"""Reading and checking sales-ledger files with pandas and pyarrow (no Django here).

Every step after reading works on whole columns: a million lines are parsed, validated
and keyed without a Python loop per line (a CSV is read by pyarrow; an .xlsx through
expat, one handler call per element). Errors are reported as codes; the Django side words them.
Modules: `reading` (files to strings; `excel`, `sheet` and `cells` stream an .xlsx,
`limits` says how large a file may be), `mapping` (columns to fields), `dates` and
`numbers` (values as written), `checking` (every row at once), `preview` (the mapping
page's sample).
"""

from .checking import (
    RowErrors,
    customer_codes_normalise,
    ledger_check,
    line_keys_hash,
    text_errors_add,
)
from .dates import DateOrder, date_order_detect, date_order_from_format, dates_parse
from .fields import (
    ALIASES,
    DATE_FIELDS,
    FIELDS,
    MAX_AMOUNT,
    MAX_LENGTH,
    MAX_QUANTITY,
    NUMBER_FIELDS,
    REQUIRED_FIELDS,
    STORED_DECIMALS,
)
from .limits import LedgerLimitError, LedgerLimits
from .mapping import (
    columns_closest,
    header_normalise,
    mapping_guess,
    mapping_override,
    mapping_problems,
    mapping_suggestions,
)
from .numbers import (
    DecimalMark,
    NumberColumn,
    NumberReading,
    number_column_classify,
    number_column_read,
    number_columns_read,
    number_problems,
    numbers_parse,
)
from .preview import ColumnPreview, ledger_preview
from .reading import ledger_read
from .table import CheckedLedger, LedgerFileError, LedgerTable

__all__ = [
    "ALIASES",
    "DATE_FIELDS",
    "FIELDS",
    "MAX_AMOUNT",
    "MAX_LENGTH",
    "MAX_QUANTITY",
    "NUMBER_FIELDS",
    "REQUIRED_FIELDS",
    "STORED_DECIMALS",
    "CheckedLedger",
    "ColumnPreview",
    "DateOrder",
    "DecimalMark",
    "LedgerFileError",
    "LedgerLimitError",
    "LedgerLimits",
    "LedgerTable",
    "NumberColumn",
    "NumberReading",
    "RowErrors",
    "columns_closest",
    "customer_codes_normalise",
    "date_order_detect",
    "date_order_from_format",
    "dates_parse",
    "header_normalise",
    "ledger_check",
    "ledger_preview",
    "ledger_read",
    "line_keys_hash",
    "mapping_guess",
    "mapping_override",
    "mapping_problems",
    "mapping_suggestions",
    "number_column_classify",
    "number_column_read",
    "number_columns_read",
    "number_problems",
    "numbers_parse",
    "text_errors_add",
]
