"""The doorway guard: a condition-plus-town page must say something no other page says.

Search engines penalise "doorway" pages that repeat one text with the town name swapped. A local
page passes only with enough words of its own (DOORWAY_MIN_UNIQUE_WORDS) and a low overlap of
three-word phrases with its parent condition page and every other local page on the site
(DOORWAY_MAX_SIMILARITY), whichever condition they are under.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import strip_tags

_WORD = re.compile(r"[a-z0-9']+")


@dataclass
class GuardResult:
    unique_words: int
    similarity: float
    most_similar_to: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def passes(self):
        return not self.reasons


def page_words(page):
    """The words a reader sees on the page: title, summary and every block's text."""
    parts = [page.title, getattr(page, "summary", "")]
    if getattr(page, "body", None):
        parts.extend(str(text) for text in page.body.stream_block.get_searchable_content(page.body))
    return _WORD.findall(strip_tags(" ".join(parts)).lower())


def _shingles(words, size=3):
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 0))}


def similarity(words_a, words_b):
    """Jaccard similarity of three-word phrases: 0 for nothing shared, 1 for the same text."""
    a, b = _shingles(words_a), _shingles(words_b)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def check_local_page(page, parent, others):
    """The verdict on `page` under the condition page `parent`; `others` are the other local pages
    as (title, words) pairs (local_pages.guarded_page_words)."""
    min_unique = settings.DOORWAY_MIN_UNIQUE_WORDS
    max_similarity = settings.DOORWAY_MAX_SIMILARITY
    words = page_words(page)
    parent_words = page_words(parent)
    unique = set(words) - set(parent_words)
    scores = [(similarity(words, parent_words), parent.title)]
    scores += [(similarity(words, other_words), title) for title, other_words in others]
    worst, worst_title = max(scores)
    result = GuardResult(unique_words=len(unique), similarity=worst, most_similar_to=worst_title)
    if len(unique) < min_unique:
        result.reasons.append(
            f"It has {len(unique)} words of its own that the main condition page does not use; "
            f"at least {min_unique} are needed. Add local content: the clinic, its team, local patients' questions."
        )
    if worst > max_similarity:
        result.reasons.append(
            f"Its text is {worst:.0%} the same as “{worst_title}” (at most {max_similarity:.0%} is allowed). "
            "Rewrite it rather than copying."
        )
    return result
