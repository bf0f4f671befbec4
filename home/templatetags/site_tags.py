from django import template
from wagtail.models import Site

from home.models import PracticeSettings, primary_location

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context, page=None):
    """Everything the <head> says about a page: title tag, description, canonical URL and robots."""
    request = context.get("request")
    practice = PracticeSettings.load(request_or_site=request)
    if page is None or not hasattr(page, "get_title_tag"):
        title = context.get("page_title") or practice.practice_name
        if title != practice.practice_name:
            title = f"{title} | {practice.practice_name}"
        return {"title": title, "description": "", "canonical": "", "robots": "noindex, follow"}
    return {
        "title": page.get_title_tag(practice.practice_name),
        "description": page.get_meta_description(),
        "canonical": page.canonical_url or page.get_full_url(request),
        "robots": "index, follow" if page.is_indexable else "noindex, follow",
    }


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    """The trail from the home page down to the current page (not shown on the home page itself)."""
    ancestors = page.get_ancestors().filter(depth__gt=1).only("title", "url_path") if page.depth > 2 else []
    return {"request": context.get("request"), "ancestors": ancestors, "page": page}


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The home page's children marked "show in menus", each with its aria-current value."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current = context.get("page")
    items = []
    for item in site.root_page.get_children().live().public().in_menu().only("title", "url_path", "path"):
        aria_current = ""
        if current is not None and current.path.startswith(item.path):
            aria_current = "page" if current.pk == item.pk else "true"
        items.append({"page": item, "aria_current": aria_current})
    return items


@register.simple_tag
def practice_location():
    return primary_location()
