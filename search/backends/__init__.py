"""The site's search backend: Wagtail's database backend, with a word in a page title counting most.

Wagtail picks the full-text search of the database in use: FTS5 on SQLite, tsvector on PostgreSQL.
Both rank a page by all its text at once, so a short page that repeats a word in its body outranks
the page named after it: a herniated-disc page that mentions sciatica four times would come above
"Sciatica / Back Spasms". Each subclass here changes one thing: the title's score counts
TITLE_WEIGHT (weighting.py) times the body's. Word forms come from the database: PostgreSQL's English configuration
(SEARCH_CONFIG) and, on SQLite, the porter tokenizer (search/migrations/0002).
"""

from django.db import connection
from modelsearch.backends import database


# Wagtail looks a backend module's SearchBackend up by that name and calls it with the settings.
def SearchBackend(params):
    # Imported on demand: each module needs models that exist only on its own database.
    if connection.vendor == "postgresql":
        from search.backends.postgres import TitleWeightedPostgresSearchBackend

        return TitleWeightedPostgresSearchBackend(params)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite" and database.USE_SQLITE_FTS:
        from search.backends.sqlite import TitleWeightedSQLiteSearchBackend

        return TitleWeightedSQLiteSearchBackend(params)
    return backend
