"""Rebuild Wagtail's SQLite full-text index with the porter stemmer, so word forms match.

Wagtail creates the FTS5 table with the default tokenizer, which matches whole words only: "spasm"
would not find "spasms". FTS5 cannot change a table's tokenizer, so the table is recreated and
refilled from the index entries it mirrors; Wagtail's triggers address it by name and keep working.
PostgreSQL needs nothing here: its English configuration (settings SEARCH_CONFIG) stems words.
"""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
INDEX_TABLE = "wagtailsearch_indexentry"
# remove_diacritics 2 also folds accents on letters with several marks ("café" and "cafe" match).
STEMMED = "porter unicode61 remove_diacritics 2"
UNSTEMMED = "unicode61"


def rebuild_fts_table(schema_editor, tokenize):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            # No FTS5 in this SQLite build: Wagtail falls back to its plain database search.
            return
    schema_editor.execute(f"DROP TABLE {FTS_TABLE}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(autocomplete, body, title, tokenize = '{tokenize}')"
    )
    schema_editor.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, autocomplete, body, title) "  # noqa: S608 (constant names)
        f"SELECT id, autocomplete, body, title FROM {INDEX_TABLE}"
    )


def stem(apps, schema_editor):
    rebuild_fts_table(schema_editor, STEMMED)


def unstem(apps, schema_editor):
    rebuild_fts_table(schema_editor, UNSTEMMED)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_query_daily_misses"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stem, unstem)]
