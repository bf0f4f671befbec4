"""One self-contained JSON-LD @graph per page.

Every page gets the WebSite, the practice as a MedicalOrganization, its own page node and a
BreadcrumbList; page types add their nodes through `BasePage.get_structured_data`. Every @id that
a node points to is defined in the same graph, and everything is read from what the page shows.
"""

import json
from dataclasses import dataclass

from django.utils.safestring import mark_safe
from wagtail.models import Site

SCHEMA = "https://schema.org"
LANGUAGE = "en-US"
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
# The size Open Graph recommends: large previews on Facebook, LinkedIn and X.
SOCIAL_IMAGE_FILTER = "fill-1200x630"


@dataclass
class GraphContext:
    """What page types need to describe themselves: absolute URLs and the shared @ids."""

    request: object
    practice: object
    root_url: str
    page_url: str

    @property
    def website_id(self):
        return f"{self.root_url}/#website"

    @property
    def organization_id(self):
        return f"{self.root_url}/#organization"

    @property
    def page_id(self):
        return f"{self.page_url}#webpage"

    @property
    def breadcrumb_id(self):
        return f"{self.page_url}#breadcrumb"

    def absolute(self, path):
        return path if path.startswith(("http://", "https://")) else f"{self.root_url}{path}"


def organization_node(ctx, location):
    node = {
        "@type": "MedicalOrganization",
        "@id": ctx.organization_id,
        "name": ctx.practice.practice_name,
        "url": f"{ctx.root_url}/",
        "telephone": ctx.practice.main_phone_e164 or ctx.practice.main_phone,
    }
    if location is not None:
        node["address"] = location.postal_address()
    if ctx.practice.logo_id:
        node["logo"] = ctx.absolute(ctx.practice.logo.get_rendition("width-400").url)
    if ctx.practice.same_as_list:
        node["sameAs"] = ctx.practice.same_as_list
    return node


def image_node(ctx, image):
    """The image shared for the page, as the ImageObject its og:image shows."""
    rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
    return {
        "@type": "ImageObject",
        "url": ctx.absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def breadcrumb_node(ctx, page):
    trail = [*page.breadcrumb_ancestors, page]
    items = []
    for position, crumb in enumerate(trail, start=1):
        name = "Home" if crumb.depth == 2 else crumb.title
        items.append(
            {"@type": "ListItem", "position": position, "name": name, "item": ctx.absolute(crumb.get_url(ctx.request))}
        )
    return {"@type": "BreadcrumbList", "@id": ctx.breadcrumb_id, "itemListElement": items}


def build_graph(page, request, practice, canonical_url, description, location):
    # The request's site is already known (and cached on the request) while a page is served.
    site = Site.find_for_request(request) if request is not None else page.get_site()
    root_url = site.root_url if site else ""
    ctx = GraphContext(request=request, practice=practice, root_url=root_url, page_url=canonical_url)
    page_node = {
        "@type": page.schema_type,
        "@id": ctx.page_id,
        "url": canonical_url,
        "name": page.title,
        "isPartOf": {"@id": ctx.website_id},
        "publisher": {"@id": ctx.organization_id},
        "breadcrumb": {"@id": ctx.breadcrumb_id},
        "inLanguage": LANGUAGE,
    }
    if description:
        page_node["description"] = description
    image = practice.social_image_for(page)
    if image:
        page_node["image"] = image_node(ctx, image)
    modified = page.last_published_at or page.latest_revision_created_at
    if modified:
        page_node["dateModified"] = modified.isoformat()
    extra_properties, extra_nodes = page.get_structured_data(ctx)
    page_node.update(extra_properties)
    graph = [
        {
            "@type": "WebSite",
            "@id": ctx.website_id,
            "url": f"{root_url}/",
            "name": practice.practice_name,
            "publisher": {"@id": ctx.organization_id},
            "inLanguage": LANGUAGE,
        },
        organization_node(ctx, location),
        page_node,
        breadcrumb_node(ctx, page),
        *extra_nodes,
    ]
    return {"@context": SCHEMA, "@graph": graph}


def to_script_json(data):
    """JSON safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES))  # noqa: S308
