"""Each round's cells token: a new random value whenever a rating, consensus value or
derived rating of the round is inserted, changed or deleted, so a cached copy of its rows
(`scoring.selectors.cells`) is keyed on it and never served for rows that changed.

Database triggers set it (migration 0008), in the writing statement's own transaction,
whatever made the write: a service, a bulk update, a cascade, raw SQL, the admin. The app
never writes it. Random rather than a counter: a rolled-back transaction's token never comes
back for other rows.
"""

from django.db import models


class RoundCellsVersion(models.Model):
    # No foreign key: a round deleted with its ratings fires the triggers on the way out.
    round_id = models.BigIntegerField(primary_key=True)
    token = models.CharField(max_length=36)

    class Meta:
        verbose_name = "round cells version"

    def __str__(self):
        return f"{self.round_id}: {self.token}"
