from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from home.page_removal import DELETE, UNPUBLISH, PageRemoval, make_held_redirect

# Deleting or unpublishing a page: the confirmation pages list what will break and offer a redirect
# from the page's address (templates/wagtailadmin/pages/); the redirect is made once the page is gone.


@hooks.register("before_delete_page")
def hold_redirect_before_delete(request, page):
    return PageRemoval(page, DELETE, request).hold_redirect()


@hooks.register("before_unpublish_page")
def hold_redirect_before_unpublish(request, page):
    return PageRemoval(page, UNPUBLISH, request).hold_redirect()


@hooks.register("after_delete_page")
@hooks.register("after_unpublish_page")
def redirect_removed_page(request, page):
    make_held_redirect(request)


@hooks.register("insert_editor_js")
def paste_notice_js():
    """Tell editors when a table they pasted into rich text was flattened (home/admin/paste-notice.js)."""
    return format_html('<script src="{}"></script>', static("home/admin/paste-notice.js"))


@hooks.register("insert_global_admin_css")
def uploads_css():
    """A failed image upload shows its reason only (home/admin/uploads.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("home/admin/uploads.css"))
