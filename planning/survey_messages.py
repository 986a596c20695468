"""The words for the survey import's fields and error codes, in the user's language; codes
the ledger shares (missing, not a date, NUL byte, too long) keep the ledger's words."""

from django.utils.translation import gettext_lazy as _

from accounts.ledger.messages import error_message, mapping_problems_message

FIELD_LABELS = {
    "account_code": _("Account code"),
    "respondent": _("Respondent"),
    "answered_on": _("Date"),
    "score": _("Score (0–10)"),
    "comment": _("Comment"),
}

SURVEY_ERROR_MESSAGES = {
    "unknown_account": _("no account has this code"),
    "not_a_score": _("not a score: a whole number from 0 to 10"),
    "duplicate_answer": _("this respondent's answer for the account on this date is repeated"),
}


def survey_error_message(code: str) -> str:
    if code in SURVEY_ERROR_MESSAGES:
        return str(SURVEY_ERROR_MESSAGES[code])
    return error_message(code)


def survey_mapping_message(problems: list[tuple[str, str]], suggestions: dict) -> str:
    """What is wrong with a survey mapping; a missing field names the closest columns."""
    return mapping_problems_message(problems, suggestions, labels=FIELD_LABELS)
