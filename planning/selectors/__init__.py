"""Planning's reads, one module per sub-domain, each re-exported here."""

from .contacts import last_contact_dates
from .nps import (
    NpsAccountRow,
    NpsPeriod,
    nps_account_list,
    nps_answers,
    nps_by_quarter,
    nps_figure,
    nps_latest,
    nps_metric_values,
    nps_min_respondents,
    survey_import_earlier,
    survey_import_get,
    survey_import_list,
)

__all__ = [
    "NpsAccountRow",
    "NpsPeriod",
    "last_contact_dates",
    "nps_account_list",
    "nps_answers",
    "nps_by_quarter",
    "nps_figure",
    "nps_latest",
    "nps_metric_values",
    "nps_min_respondents",
    "survey_import_earlier",
    "survey_import_get",
    "survey_import_list",
]
