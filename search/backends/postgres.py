import copy

from django.db.models import F
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

from search.backends.weighting import TITLE_WEIGHT

# PostgreSQL's text-search configuration for the pages of each language: Spanish pages are indexed
# with Spanish word forms (and the Spanish stemmer's folded accents), English ones with English word
# forms, whichever backend alias writes them.
SEARCH_CONFIG_FOR_LANGUAGE = {"en": "english", "es": "spanish"}


def search_config_for(obj, default):
    locale = getattr(obj, "locale", None)
    return SEARCH_CONFIG_FOR_LANGUAGE.get(getattr(locale, "language_code", ""), default)


class TitleWeightedQueryCompiler(PostgresSearchQueryCompiler):
    def get_index_vectors(self, search_query):
        return [
            (F("index_entries__title"), F("index_entries__title_norm") * TITLE_WEIGHT),
            (F("index_entries__body"), 1.0),
        ]


class LanguageAwareIndex(PostgresIndex):
    """Wagtail's index, writing each object's words with its own language's configuration.

    The "default" (English) and "spanish" backends share one index table; queries through the
    "spanish" alias read Spanish pages' entries with the Spanish configuration (search/views.py).
    """

    def add_items(self, model, objs):
        by_config = {}
        for obj in objs:
            by_config.setdefault(search_config_for(obj, self.backend.config), []).append(obj)
        for config, group in by_config.items():
            if config == self.backend.config:
                super().add_items(model, group)
                continue
            index = copy.copy(self)
            index.backend = copy.copy(self.backend)
            index.backend.config = config
            PostgresIndex.add_items(index, model, group)


class TitleWeightedPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = TitleWeightedQueryCompiler
    index_class = LanguageAwareIndex
