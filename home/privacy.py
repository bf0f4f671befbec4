"""Which parts of the site are private, looked up once per request.

Wagtail asks the database twice on every page view whether the page or one of its ancestors has a
view restriction, and once more for every `.public()` listing. One query per request answers all of
them: the paths of the restricted pages, and whether the site has aliases (an alias takes the
restrictions of the page it copies, which its own path does not show, so pages on sites with aliases
still get Wagtail's own checks). The answer is never kept beyond the request: whether a visitor may
see a page must not depend on a cache being told about the change.
"""

from django.db.models import Q
from wagtail.models import Page
from wagtail.query import PageQuerySet

from home.cache import for_this_request


def _compute_sections():
    # Restricted pages and aliases in one query; Wagtail lets no alias have restrictions of its own.
    rows = Page.objects.filter(Q(view_restrictions__isnull=False) | Q(alias_of__isnull=False))
    sections, aliases = set(), False
    for path, depth, alias_of_id in rows.values_list("path", "depth", "alias_of_id").distinct():
        if alias_of_id is None:
            sections.add((path, depth))
        else:
            aliases = True
    return {"sections": sorted(sections), "aliases": aliases}


def restricted_sections(refresh=False):
    """{"sections": [(path, depth) of each restricted page], "aliases": whether any page is an alias}.

    Looked up once per request, and afresh with `refresh`.
    """
    return for_this_request("privacy:sections", _compute_sections, refresh=refresh)


def private_q():
    """Matches pages in a private section; what Wagtail's PageQuerySet.private_q() matches."""
    q = Q()
    for path, depth in restricted_sections()["sections"]:
        q |= Q(path__startswith=path, depth__gte=depth)
    # Match nothing when no section is private.
    return q if q else Q(pk__in=[])


def may_be_restricted(page):
    """False when no view restriction can apply to the page; True when Wagtail has to check.

    Read afresh: this is the check Wagtail makes as it serves the page, and listings later in the
    request use the same answer.
    """
    index = restricted_sections(refresh=True)
    return index["aliases"] or any(page.path.startswith(path) for path, _depth in index["sections"])


class SitePageQuerySet(PageQuerySet):
    """Page querysets whose public() and private() need no query to find the private sections."""

    def private_q(self):
        return private_q()
