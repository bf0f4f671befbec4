"""What the <head> of every page says: `{% page_meta page as meta %}` in includes/head.html."""

from django import template
from wagtail.models import Site

from seo.alternates import alternates
from seo.languages import language_of, og_locale
from seo.models import practice_settings
from seo.origin import public_origin
from seo.social_card import share_image
from seo.structured_data import build_graph, to_script_json
from seo.titles import title_with_name

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context, page=None):
    """Everything the <head> says about a page: title, description, canonical, robots, social, JSON-LD."""
    request = context.get("request")
    practice = practice_settings(request)
    if page is None or not hasattr(page, "get_title_tag"):
        # Views that are not pages (search results, errors) are never indexed.
        title = context.get("page_title")
        return {
            "title": title_with_name(title, practice.brand) if title else practice.practice_name,
            "robots": "noindex, follow",
        }
    description = page.get_meta_description(practice)
    full_url = page.get_full_url(request)
    canonical = page.get_canonical_override(request) or full_url
    # The request's site is already known (and kept on the request) while a page is served.
    site = Site.find_for_request(request) if request is not None else page.get_site()
    image = share_image(page, practice, public_origin(site.root_url if site else "", request))
    meta = {
        "title": page.get_title_tag(practice),
        "description": description,
        "canonical": canonical,
        "url": full_url,
        "robots": "index, follow" if page.is_indexable else "noindex, follow",
        "og_type": page.og_type,
        "published": page.first_published_at,
        "modified": page.last_published_at,
        "json_ld": to_script_json(
            build_graph(page, request, practice, canonical, description, practice.primary_location, image)
        ),
        "image": image,
        "og_locale": og_locale(language_of(page)),
        # hreflang links to the page's live translations (none while it has none).
        "alternates": alternates(page, request),
    }
    return meta
