"""Checking an NPS survey file with the ledger's parsing (no Django here): its fields, their
header names, and every row validated at once, each error naming its row and column."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from accounts.ledger import parsing

# The survey's fields, in the order the mapping form shows them; the comment is optional.
FIELDS = ("account_code", "respondent", "answered_on", "score", "comment")
REQUIRED_FIELDS = ("account_code", "respondent", "answered_on", "score")

# Normalised header names (lower case, letters and digits only), English and Indonesian.
ALIASES = {
    "account_code": (
        "accountcode", "account", "customercode", "customerid", "customer", "custcode",
        "clientcode", "kodepelanggan", "kodeakun", "pelanggan", "akun",
    ),
    "respondent": (
        "respondent", "respondentname", "name", "contact", "email", "responden",
        "namaresponden", "nama", "kontak",
    ),
    "answered_on": (
        "date", "answeredon", "surveydate", "responsedate", "answerdate", "tanggal", "tgl",
        "tanggalsurvei", "tanggaljawaban",
    ),
    "score": (
        "score", "nps", "npsscore", "rating", "recommend", "likelihoodtorecommend", "nilai",
        "skor", "skornps",
    ),
    "comment": ("comment", "comments", "remark", "remarks", "feedback", "komentar", "catatan"),
}  # fmt: skip

MAX_LENGTH = {"account_code": 50, "respondent": 200, "comment": 4000}
SCORE_PATTERN = r"^[0-9]{1,2}(?:\.0+)?$"  # a whole number, also as a spreadsheet writes it (9.0)


@dataclass
class CheckedSurvey:
    """The valid answers (row, account code, respondent, date, score, comment) and one error
    row per bad cell (row, field, column, value, code)."""

    answers: pd.DataFrame
    errors: pd.DataFrame
    rows_total: int
    rows_invalid: int


def survey_read(path, *, limits: parsing.LedgerLimits, preview_rows: int | None = None):
    """The file's cells as strings, its header found by the survey's column names."""
    return parsing.ledger_read(path, limits=limits, preview_rows=preview_rows, aliases=ALIASES)


def survey_mapping_guess(columns: list) -> dict[str, str]:
    return parsing.mapping_guess(columns, aliases=ALIASES)


def survey_mapping_problems(mapping: dict[str, str], columns: list[str]) -> list[tuple[str, str]]:
    """(code, field) pairs for what stops a mapping from describing a survey file."""
    problems = [("unknown_column", field) for field, col in mapping.items() if col not in columns]
    return problems + [
        ("missing_field", field) for field in REQUIRED_FIELDS if field not in mapping
    ]


def survey_mapping_suggestions(mapping: dict[str, str], columns: list) -> dict[str, list[str]]:
    """For each required field not mapped, the file's columns closest to its names."""
    missing = [field for field in REQUIRED_FIELDS if field not in mapping]
    held = set(mapping.values())
    return parsing.columns_closest(missing=missing, held=held, columns=columns, aliases=ALIASES)


def survey_check(
    table: parsing.LedgerTable,
    *,
    mapping: dict[str, str],
    date_order: str,
    today: dt.date,
    known_codes: set[str],
) -> CheckedSurvey:
    """Validate every row: each required cell filled, the account one of `known_codes`,
    the date a real one and not in the future, the score a whole number from 0 to 10, and
    one answer per account, respondent and date within the file."""
    problems = survey_mapping_problems(mapping, table.columns)
    if problems:
        raise parsing.LedgerFileError(
            "mapping", ", ".join(f"{code}:{field}" for code, field in problems)
        )
    frame = table.frame
    size = len(frame)
    texts = {field: frame[column].str.strip() for field, column in mapping.items()}
    texts["account_code"], _ = parsing.customer_codes_normalise(texts["account_code"])
    filled = {field: (values != "").to_numpy() for field, values in texts.items()}
    errors = parsing.RowErrors(size, ignore=np.zeros(size, dtype=bool), fields=FIELDS)
    parsing.text_errors_add(errors, texts, may_hold_nul=table.may_hold_nul, max_length=MAX_LENGTH)
    for field in REQUIRED_FIELDS:
        errors.add(~filled[field], field, "missing")

    codes = texts["account_code"]
    errors.add(filled["account_code"] & ~codes.isin(known_codes).to_numpy(), "account_code",
               "unknown_account")  # fmt: skip

    dates = parsing.dates_parse(texts["answered_on"], order=date_order)
    errors.add(filled["answered_on"] & np.isnat(dates), "answered_on", "not_a_date")
    errors.add(dates > np.datetime64(today, "D"), "answered_on", "future_date")

    score_text = texts["score"]
    whole = score_text.str.fullmatch(SCORE_PATTERN).fillna(False).to_numpy(dtype=bool)
    scores = np.full(size, -1, dtype=np.int64)
    scores[whole] = score_text[whole].str.replace(r"\.0+$", "", regex=True).astype(int).to_numpy()
    errors.add(filled["score"] & ((scores < 0) | (scores > 10)), "score", "not_a_score")

    key = pd.DataFrame({"a": codes, "r": texts["respondent"], "d": dates})
    twice = key.duplicated(keep="first").to_numpy()
    errors.add(twice & filled["respondent"] & ~np.isnat(dates), "respondent", "duplicate_answer")

    valid = ~errors.bad
    empty = pd.Series("", index=frame.index, dtype="str")
    answers = pd.DataFrame(
        {
            "row": frame.index.to_numpy()[valid] + table.first_row,
            "account_code": codes[valid].to_numpy(),
            "respondent": texts["respondent"][valid].to_numpy(),
            "answered_on": dates[valid],
            "score": scores[valid],
            "comment": texts.get("comment", empty)[valid].to_numpy(),
        }
    )
    return CheckedSurvey(
        answers=answers,
        errors=errors.frame(table, mapping),
        rows_total=size,
        rows_invalid=int(errors.bad.sum()),
    )
