"""One self-contained JSON-LD @graph per page.

Every page gets the WebSite, the practice as a MedicalOrganization, its own page node and a
BreadcrumbList; page types add their nodes through `BasePage.get_structured_data`. Every @id that
a node points to is defined in the same graph, and everything is read from what the page shows.
"""

import html
import json
import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Site

from seo.languages import language_of, language_tag
from seo.origin import public_origin

SCHEMA = "https://schema.org"
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
# What the practice and its clinics practise, as schema.org's MedicalSpecialty values.
MEDICAL_SPECIALTIES = [f"{SCHEMA}/Musculoskeletal"]


_BLOCK_END = re.compile(r"(</(?:p|li|h[1-6]|ul|ol)>|<br\s*/?>)", re.IGNORECASE)


def plain_text(markup):
    """Rich text (HTML) as one line of plain text, for structured data: paragraphs and list items
    stay apart by a space, entities are read."""
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(r"\1 ", markup or ""))).split())


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
        "medicalSpecialty": MEDICAL_SPECIALTIES,
    }
    # A clinic still holding demo data to replace (shows_details false) lends the practice no address.
    if location is not None and getattr(location, "shows_details", True):
        node["address"] = location.postal_address()
    logo = ctx.practice.logo_rendition("width-400")
    if logo:
        node["logo"] = ctx.absolute(logo["url"])
    if ctx.practice.same_as_list:
        node["sameAs"] = ctx.practice.same_as_list
    return node


def breadcrumb_node(ctx, page):
    trail = [*page.breadcrumb_ancestors, page]
    items = []
    for position, crumb in enumerate(trail, start=1):
        name = "Home" if crumb.depth == 2 else crumb.title
        items.append(
            {"@type": "ListItem", "position": position, "name": name, "item": ctx.absolute(crumb.get_url(ctx.request))}
        )
    return {"@type": "BreadcrumbList", "@id": ctx.breadcrumb_id, "itemListElement": items}


def build_graph(page, request, practice, canonical_url, description, location, image=None):
    """The page's graph; `image` is what a share of it shows (seo.social_card.share_image)."""
    # The request's site is already known (and cached on the request) while a page is served.
    site = Site.find_for_request(request) if request is not None else page.get_site()
    root_url = public_origin(site.root_url if site else "", request)
    ctx = GraphContext(request=request, practice=practice, root_url=root_url, page_url=canonical_url)
    language = language_tag(language_of(page))
    page_node = {
        "@type": page.schema_type,
        "@id": ctx.page_id,
        "url": canonical_url,
        "name": page.title,
        "isPartOf": {"@id": ctx.website_id},
        "publisher": {"@id": ctx.organization_id},
        "breadcrumb": {"@id": ctx.breadcrumb_id},
        "inLanguage": language,
    }
    if description:
        page_node["description"] = description
    if image:
        page_node["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    published = page.first_published_at
    if published:
        page_node["datePublished"] = published.isoformat()
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
            "inLanguage": language,
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
