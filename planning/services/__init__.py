"""Planning's writes, one module per sub-domain, each re-exported here."""

from .nps import survey_import_create, survey_import_refuse, survey_import_run, survey_limits

__all__ = ["survey_import_create", "survey_import_refuse", "survey_import_run", "survey_limits"]
