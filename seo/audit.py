"""The SEO audit: what is wrong with each live page's title tag, description, images and reach.

It reads pages only through seo.models.SeoMixin's API, so page types add their own findings by overriding
`SeoMixin.seo_problems()` (a local condition page reports its doorway-guard failures there).
"""

from collections import Counter
from dataclasses import dataclass, field

from wagtail.models import Page

from seo.models import SeoMixin, practice_settings
from seo.titles import META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET


@dataclass
class AuditRow:
    page: Page
    title_tag: str
    meta_description: str
    # Which image a share of the page shows: SOCIAL_IMAGE_OWN, SOCIAL_IMAGE_DEFAULT or SOCIAL_IMAGE_CARD.
    social_image: str
    problems: list[str] = field(default_factory=list)

    @property
    def title(self):
        return self.page.title

    @property
    def page_type(self):
        return self.page.specific_class._meta.verbose_name.capitalize()

    @property
    def problems_text(self):
        return "; ".join(self.problems)


SOCIAL_IMAGE_OWN = "The page's own"
SOCIAL_IMAGE_DEFAULT = "The default (Settings → Practice)"
SOCIAL_IMAGE_CARD = "A card drawn from the title"


def social_image_source(page, practice):
    if page.social_image_id:
        return SOCIAL_IMAGE_OWN
    return SOCIAL_IMAGE_DEFAULT if practice.default_social_image_id else SOCIAL_IMAGE_CARD


def is_reachable(page, parent):
    """Visitors can find the page: it is the home page, in a menu, or listed by its parent."""
    return page.depth <= 2 or page.show_in_menus or getattr(parent, "lists_children", False)


def audit_live_pages():
    practice = practice_settings()
    pages = [page for page in Page.objects.live().specific().order_by("path") if isinstance(page, SeoMixin)]
    parents = {page.path: page for page in pages}
    rows = [
        AuditRow(
            page=page,
            title_tag=page.get_title_tag(practice),
            meta_description=page.get_meta_description(practice),
            social_image=social_image_source(page, practice),
        )
        for page in pages
    ]
    title_counts = Counter(row.title_tag for row in rows)
    description_counts = Counter(row.meta_description for row in rows if row.meta_description)
    for row in rows:
        page = row.page
        if title_counts[row.title_tag] > 1:
            row.problems.append("Duplicate title tag")
        if len(row.title_tag) > TITLE_TAG_BUDGET:
            row.problems.append(f"Title tag over {TITLE_TAG_BUDGET} characters ({len(row.title_tag)})")
        if not row.meta_description:
            row.problems.append("No meta description")
        elif description_counts[row.meta_description] > 1:
            row.problems.append("Duplicate meta description")
        if len(row.meta_description) > META_DESCRIPTION_BUDGET:
            row.problems.append(
                f"Meta description over {META_DESCRIPTION_BUDGET} characters ({len(row.meta_description)})"
            )
        if not is_reachable(page, parents.get(page.path[: -page.steplen])):
            row.problems.append("Not reachable from any menu or index")
        row.problems.extend(page.seo_problems())
    return rows
