from modelsearch.backends.database.sqlite.query import BM25
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend, SQLiteSearchQueryCompiler
from modelsearch.query import Not, Phrase, PlainText

from search.backends.weighting import TITLE_WEIGHT


class ColumnBM25(BM25):
    """FTS5's bm25() counting matches in some columns only.

    Its arguments weigh the index table's columns in the order Wagtail creates them: autocomplete,
    body, title. The autocomplete column repeats titles for as-you-type search and is never counted.
    """

    def __init__(self, body=0.0, title=0.0):
        super().__init__()
        self.weights = (0.0, body, title)

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        weights = ", ".join(str(weight) for weight in self.weights)
        return f"{sql.removesuffix(')')}, {weights})", params


class TitleWeightedQueryCompiler(SQLiteSearchQueryCompiler):
    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, (Phrase, PlainText, Not)):
            # bm25() is negative, better matches more so; sums and positive factors keep that order.
            rank = ColumnBM25(body=1.0) + ColumnBM25(title=1.0) * TITLE_WEIGHT
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)


class TitleWeightedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = TitleWeightedQueryCompiler
