"""How much more a word in a page title counts than the same word in its body (see search/backends)."""

TITLE_WEIGHT = 10
