"""Who may write pages: the one rule the admin's reports and menu items share.

Everyone who can add, change or publish any page may see the reports that tell them which page to
write or fix (searches with no results, the SEO audit, pages due for medical review).
"""

from wagtail.models import Page
from wagtail.permissions import policy_registry

PAGE_WRITING_PERMISSIONS = ["add", "change", "publish"]


def page_permission_policy():
    return policy_registry.get_by_type(Page)


def may_write_pages(user):
    return page_permission_policy().user_has_any_permission(user, PAGE_WRITING_PERMISSIONS)
