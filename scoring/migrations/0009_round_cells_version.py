"""The cells token of each round, set by triggers on every write to its ratings, consensus
values and derived ratings (see scoring/models/cells.py)."""

from django.db import migrations, models

CELL_TABLES = ("scoring_rating", "scoring_consensus", "scoring_derivedrating")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION scoring_cells_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per statement: a bulk insert of thousands of ratings sets one token a round.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO scoring_roundcellsversion (round_id, token)
        SELECT round_id, gen_random_uuid()::text FROM (SELECT DISTINCT round_id FROM new_rows) r
        ON CONFLICT (round_id) DO UPDATE SET token = EXCLUDED.token;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO scoring_roundcellsversion (round_id, token)
        SELECT round_id, gen_random_uuid()::text
        FROM (SELECT round_id FROM old_rows UNION SELECT round_id FROM new_rows) r
        ON CONFLICT (round_id) DO UPDATE SET token = EXCLUDED.token;
    ELSE
        INSERT INTO scoring_roundcellsversion (round_id, token)
        SELECT round_id, gen_random_uuid()::text FROM (SELECT DISTINCT round_id FROM old_rows) r
        ON CONFLICT (round_id) DO UPDATE SET token = EXCLUDED.token;
    END IF;
    RETURN NULL;
END;
$$;
"""

POSTGRES_TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}

SQLITE_BUMP = """
INSERT INTO scoring_roundcellsversion (round_id, token)
VALUES ({row}.round_id, lower(hex(randomblob(16))))
ON CONFLICT (round_id) DO UPDATE SET token = excluded.token;
"""

SQLITE_ROWS = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}


def _trigger_name(table: str, event: str) -> str:
    return f"{table}_cells_{event.lower()}"


def triggers_create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
        for table in CELL_TABLES:
            for event, rows in SQLITE_ROWS.items():
                name = _trigger_name(table, event)
                if connection.vendor == "postgresql":
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                        f"REFERENCING {POSTGRES_TRANSITIONS[event]} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION scoring_cells_changed()"
                    )
                elif connection.vendor == "sqlite":
                    body = "".join(SQLITE_BUMP.format(row=row) for row in rows)
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                        f"FOR EACH ROW BEGIN {body} END"
                    )
                else:
                    raise NotImplementedError(f"No cells triggers for {connection.vendor}.")
        # Rounds with cells already: a first token, so their reads are cached from now on.
        random = (
            "gen_random_uuid()::text"
            if connection.vendor == "postgresql"
            else "lower(hex(randomblob(16)))"
        )
        cursor.execute(
            "INSERT INTO scoring_roundcellsversion (round_id, token) "
            f"SELECT id, {random} FROM scoring_scoringround"
        )


def triggers_drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in CELL_TABLES:
            for event in SQLITE_ROWS:
                suffix = f" ON {table}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)}{suffix}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS scoring_cells_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0008_foresight"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoundCellsVersion",
            fields=[
                ("round_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=36)),
            ],
            options={"verbose_name": "round cells version"},
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
