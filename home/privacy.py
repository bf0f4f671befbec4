"""Which parts of the site are private, looked up once per cache generation.

Wagtail asks the database on every page view whether the page or one of its ancestors has a view
restriction, and again for every `.public()` listing. Most practices restrict nothing, or one
staff-only section, so the answer barely ever changes: it is kept with the page cache's generation,
which a saved or deleted restriction, a page move and a page save all retire (home/signals.py).
Pages inside a private section, and sites that use aliases, still take Wagtail's own checks.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from home.cache import for_current_generation


def _compute_sections():
    sections = PageViewRestriction.objects.values_list("page__path", "page__depth").distinct()
    return {
        "sections": sorted(set(sections)),
        # An alias takes the restrictions of the page it copies, which its own path does not show.
        "aliases": Page.objects.filter(alias_of__isnull=False).exists(),
    }


def restricted_sections():
    """{"sections": [(path, depth) of each restricted page], "aliases": whether any page is an alias}."""
    return for_current_generation("privacy:sections", _compute_sections)


def private_q():
    """Matches pages in a private section; what Wagtail's PageQuerySet.private_q() matches."""
    q = Q()
    for path, depth in restricted_sections()["sections"]:
        q |= Q(path__startswith=path, depth__gte=depth)
    # Match nothing when no section is private.
    return q if q else Q(pk__in=[])


def may_be_restricted(page):
    """False when no view restriction can apply to the page; True when Wagtail has to check."""
    index = restricted_sections()
    return index["aliases"] or any(page.path.startswith(path) for path, _depth in index["sections"])


class SitePageQuerySet(PageQuerySet):
    """Page querysets whose public() and private() need no query to find the private sections."""

    def private_q(self):
        return private_q()
