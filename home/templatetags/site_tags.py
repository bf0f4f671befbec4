from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, override
from wagtail.models import Site

from home.i18n import in_visitor_language
from home.models import PracticeSettings, page_type_for
from home.phone import format_phone, normalise_phone
from pagecache.store import for_current_generation
from seo.alternates import translation_for

register = template.Library()


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
    # The home page in the visitor's language (the Spanish home under /es/), and its sections.
    menu = for_current_generation(
        f"site-menu:{site.pk}:{get_language()}",
        lambda: list(
            site.root_page.localized.get_children().live().public().in_menu().only("title", "url_path", "path")
        ),
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
    index_model = page_type_for("condition list")
    if site is None or index_model is None:
        return None
    return for_current_generation(
        f"conditions-index:{site.pk}:{get_language()}",
        lambda: (
            index_model.objects.live()
            .public()
            .descendant_of(site.root_page.localized)
            .only("title", "url_path", "locale")
            .first()
        ),
    )


@register.simple_tag
def phone_link(number, css_class="", prefix=""):
    """A telephone link: `{% phone_link practice.main_phone %}` → <a href="tel:+18435550100">(843) 555-0100</a>.

    Takes the number as stored (see home/phone.py) or typed any other way. With `prefix` ("Call "),
    the number is kept on one line after it. A number that is not a North American one is shown
    as it is, without a link.
    """
    e164 = normalise_phone(number)
    if not e164:
        return number or ""
    shown = format_phone(e164)
    text = (
        format_html('<span class="phone-link__prefix">{}</span><span class="nowrap">{}</span>', prefix, shown)
        if prefix
        else shown
    )
    if css_class:
        return format_html('<a class="{}" href="tel:{}">{}</a>', css_class, e164, text)
    return format_html('<a href="tel:{}">{}</a>', e164, text)


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    """A link to this page in the other language: its live translation when it has one, otherwise
    the search (on the search page) or the home page in that language."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    language, name = next((code, name) for code, name in settings.LANGUAGES if code != current)
    url = None
    translation = translation_for(page, language)
    if translation is not None:
        url = translation.get_url(request)
    if url is None:
        match = getattr(request, "resolver_match", None)
        with override(language):
            url = reverse("search") if match and match.url_name == "search" else home_url_in(language, request)
    return {"url": url, "language": language, "name": name}


def home_url_in(language, request):
    """The live home page in `language`, else the site's own home page."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return "/"
    # Kept per page-cache generation: a home page's translation going live renews it.
    home = for_current_generation(
        f"home-in:{site.pk}:{language}", lambda: translation_for(site.root_page, language) or site.root_page
    )
    return home.get_url(request) or "/"


@register.filter(name="in_visitor_language")
def in_visitor_language_filter(page):
    """`{{ page|in_visitor_language }}`: the page's live translation in the language being served, or the page."""
    return in_visitor_language(page)
