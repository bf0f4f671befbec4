from django import template
from django.apps import apps
from django.utils.html import format_html
from wagtail.models import Site

from home.cache import for_current_generation
from home.models import PracticeSettings
from home.phone import format_phone, normalise_phone
from home.structured_data import SOCIAL_IMAGE_FILTER, build_graph, to_script_json

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context, page=None):
    """Everything the <head> says about a page: title, description, canonical, robots, social, JSON-LD."""
    request = context.get("request")
    practice = PracticeSettings.load(request_or_site=request)
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


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    """The trail from the home page down to the current page (not shown on the home page itself)."""
    ancestors = getattr(page, "breadcrumb_ancestors", None)
    if ancestors is None:
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
    menu = for_current_generation(
        f"site-menu:{site.pk}",
        lambda: list(site.root_page.get_children().live().public().in_menu().only("title", "url_path", "path")),
    )
    items = []
    for item in menu:
        aria_current = ""
        if current is not None and current.path.startswith(item.path):
            aria_current = "page" if current.pk == item.pk else "true"
        items.append({"page": item, "aria_current": aria_current})
    return items


@register.simple_tag(takes_context=True)
def practice_location(context):
    return PracticeSettings.load(request_or_site=context.get("request")).primary_location


@register.simple_tag(takes_context=True)
def appointment_page(context):
    """The live appointment page from Settings → Practice, or None: where appointment buttons lead."""
    return PracticeSettings.load(request_or_site=context.get("request")).appointment_destination


@register.simple_tag(takes_context=True)
def conditions_index(context):
    """The site's live, public list of the conditions the practice treats, or None."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None or not apps.is_installed("conditions"):
        return None
    # Through the app registry, as primary_location() does: home does not import the conditions app.
    index_model = apps.get_model("conditions", "ConditionIndexPage")
    return for_current_generation(
        f"conditions-index:{site.pk}",
        lambda: index_model.objects.live().public().descendant_of(site.root_page).only("title", "url_path").first(),
    )


@register.simple_tag
def phone_link(number, css_class="", prefix=""):
    """A telephone link: `{% phone_link practice.main_phone %}` → <a href="tel:+18435550100">(843) 555-0100</a>.

    Takes the number as stored anywhere (formatted or E.164). With `prefix` ("Call "), the number
    is kept on one line after it. A number that is not a North American one is shown as it is.
    """
    e164 = normalise_phone(number)
    shown = format_phone(e164) or (number or "")
    if not e164:
        return shown
    text = format_html('{}<span class="nowrap">{}</span>', prefix, shown) if prefix else shown
    if css_class:
        return format_html('<a class="{}" href="tel:{}">{}</a>', css_class, e164, text)
    return format_html('<a href="tel:{}">{}</a>', e164, text)
