"""IndexPage: the abstract base of the sections' front pages (ConditionIndexPage, LocationIndexPage)."""

from django.db import models
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from home.models import BasePage


class IndexPage(BasePage):
    """A section's front page (/conditions/, /locations/): an intro above the list of the pages in it.

    Each index page says which of its children it lists, in what order (listed_pages), and the name
    its template knows them by (listing_name). The list is fetched once for the page and its JSON-LD.
    """

    intro = models.TextField(max_length=400, blank=True, help_text="A sentence or two above the list on this page.")

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count = 1

    schema_type = "CollectionPage"
    lists_children = True
    # The template's name for the listed pages, e.g. "conditions".
    listing_name = "pages"

    class Meta:
        abstract = True

    def get_summary(self):
        return self.intro

    def listed_pages(self):
        """The live, public children the page lists, in order: a queryset each index page type defines."""
        raise NotImplementedError

    @cached_property
    def listing(self):
        return list(self.listed_pages())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context[self.listing_name] = self.listing
        return context

    @staticmethod
    def item_list(entries):
        """A schema.org ItemList: one ListItem per entry (its properties besides the position), in order."""
        return {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, **entry} for position, entry in enumerate(entries, start=1)
            ],
        }

    def get_structured_data(self, graph):
        entries = ({"name": page.title, "url": graph.absolute(page.url)} for page in self.listing)
        return {"mainEntity": self.item_list(entries)}, []
