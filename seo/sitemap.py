"""sitemap.xml: every live, public page of the site in every language, each with its alternates.

Wagtail's sitemap lists the pages under the site's root page, which is the English home; the
Spanish home is its translation beside it, so its pages are listed here too.
"""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key, depth=root.depth).live()
        under_a_home = Q()
        for home in homes.only("path"):
            under_a_home |= Q(path__startswith=home.path)
        return Page.objects.filter(under_a_home).live().public().order_by("path").defer_streamfields().specific()
