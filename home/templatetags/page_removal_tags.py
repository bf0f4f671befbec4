from django import template

from home.page_removal import PageRemoval

register = template.Library()


@register.simple_tag(takes_context=True)
def page_removal(context, page, action):
    """What deleting ("delete") or unpublishing ("unpublish") the page breaks, with the redirect form."""
    return PageRemoval(page, action, context["request"])
