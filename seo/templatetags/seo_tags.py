"""What the <head> of every page says: `{% page_meta page as meta %}` in includes/head.html."""

from django import template

from seo.models import practice_settings
from seo.structured_data import SOCIAL_IMAGE_FILTER, build_graph, to_script_json

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
            "title": f"{title} | {practice.practice_name}" if title else practice.practice_name,
            "robots": "noindex, follow",
        }
    description = page.get_meta_description(practice)
    full_url = page.get_full_url(request)
    canonical = page.get_canonical_override(request) or full_url
    social_image = practice.social_image_for(page)
    image = social_image or practice.logo
    meta = {
        "title": page.get_title_tag(practice),
        "description": description,
        "canonical": canonical,
        "url": full_url,
        "robots": "index, follow" if page.is_indexable else "noindex, follow",
        "json_ld": to_script_json(
            build_graph(page, request, practice, full_url, description, location=practice.primary_location)
        ),
    }
    if image:
        rendition = image.get_rendition(SOCIAL_IMAGE_FILTER if social_image else "width-600")
        site_root = page.get_site().root_url
        meta["image"] = {
            "url": f"{site_root}{rendition.url}" if rendition.url.startswith("/") else rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": rendition.alt,
        }
    return meta
