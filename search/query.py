"""Turns whatever a visitor typed into words that every search backend reads the same way.

This is the one place the site's search input is cleaned. Both database backends have query
languages (FTS5's quotes, AND/OR/NOT/NEAR, `*`, `-`, column filters; PostgreSQL's tsquery) and some
input breaks them: SQLite raises on a stray double quote, PostgreSQL on a NUL byte. Keeping only
letters, digits and combining marks leaves nothing for either to misread, so the search itself
needs no error handling.
"""

import unicodedata
from dataclasses import dataclass

# Longer input is cut here: nobody types more into a site search box, and it bounds the work a
# single request can ask of the database.
MAX_QUERY_LENGTH = 100
MAX_WORDS = 10

# Words that say nothing about a page. PostgreSQL's English configuration drops them; SQLite's
# index keeps them, so they are dropped here too and a query means the same on both databases.
# The search words AND, OR, NOT and NEAR are among them, as are "near me" searches.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing don down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself near no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such t than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom why
    will with would you your yours yourself yourselves s
    """.split()
)

# The same for Spanish searches (/es/buscar/): the words PostgreSQL's Spanish configuration drops.
SPANISH_STOP_WORDS = frozenset(
    """
    a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
    ella ellas ellos en entre era es esa ese eso esta este esto estos fue ha hay la las le les lo los
    mas me mi mis muy nada ni no nos o os otra otro para pero poco por porque que quien se sea ser si
    sin sobre su sus también te tiene todo tu tus un una uno unos y ya yo
    """.split()
)
STOP_WORDS_BY_LANGUAGE = {"en": STOP_WORDS, "es": SPANISH_STOP_WORDS}

# Characters that cannot appear in an HTML page or be encoded: controls (NUL among them),
# lone surrogates and unassigned code points.
_UNPRINTABLE_CATEGORIES = {"Cc", "Cs", "Cn"}


@dataclass(frozen=True)
class CleanedQuery:
    shown: str
    """What the visitor typed, shortened and made printable: shown back (escaped) on the page."""

    words: tuple[str, ...]
    """The words of the query, lower-cased; joined, they name the query in the search statistics."""

    @property
    def text(self):
        return " ".join(self.words)

    @property
    def terms(self):
        """The words given to the search backend: the query's words less the stop words."""
        return self.terms_in("en")

    def terms_in(self, language):
        """The words given to the search backend for a search in `language` ("en" or "es")."""
        stop_words = STOP_WORDS_BY_LANGUAGE.get(language, STOP_WORDS)
        return " ".join(word for word in self.words if word not in stop_words)

    def __bool__(self):
        return bool(self.words)


def clean_query(raw):
    """The visitor's input as a CleanedQuery; any string at all is accepted."""
    shown = " ".join(_printable(raw[:MAX_QUERY_LENGTH]).split())
    return CleanedQuery(shown=shown, words=tuple(_words(shown))[:MAX_WORDS])


def _printable(text):
    return "".join(" " if unicodedata.category(char) in _UNPRINTABLE_CATEGORIES else char for char in text)


def _words(text):
    # NFKC folds look-alikes (full-width letters, ligatures, superscripts) into the plain letters
    # the index holds. Everything but letters, digits and combining marks separates words.
    normalised = unicodedata.normalize("NFKC", text).lower()
    spaced = "".join(char if unicodedata.category(char)[0] in "LNM" else " " for char in normalised)
    for word in spaced.split():
        # A word needs a letter or digit: on its own, a combining mark makes an empty FTS5 phrase,
        # which matches nothing and would empty every result.
        if any(unicodedata.category(char)[0] in "LN" for char in word):
            yield word
