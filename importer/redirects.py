"""301s from the old site's addresses to the pages the import made.

Wagtail's redirect middleware sends a redirect to its page's address whether or not the page is
live, so a redirect to a draft would send visitors and search engines, permanently, to a page that
is not there. So each redirect is made when its page is first published (through medical review
or by an administrator); until then the old address answers 404, as it would without the import.
"""

from wagtail.contrib.redirects.models import Redirect

from importer.models import ImportedPage


def redirect_problem(old_path, page):
    """Why the old address cannot redirect to `page` (another redirect has it), or ""."""
    existing = Redirect.objects.filter(old_path=Redirect.normalise_path(old_path)).first()
    if existing is not None and (page is None or existing.redirect_page_id != page.pk):
        return f"{old_path} already redirects elsewhere ({existing.link or 'nowhere'}): left as it is."
    return ""


def redirect_old_address(old_path, page):
    """A permanent redirect from `old_path` to the live `page`, unless one exists; with or without its
    trailing slash, the old address is one redirect (Redirect.normalise_path drops the slash)."""
    normalised = Redirect.normalise_path(old_path)
    page_url = page.get_url()
    if not page.live or not page_url or Redirect.normalise_path(page_url) == normalised:
        return None
    if Redirect.objects.filter(old_path=normalised).exists():
        return None
    return Redirect.objects.create(old_path=normalised, site=None, redirect_page=page, is_permanent=True)


def redirect_on_publish(sender, instance, **kwargs):
    """page_published: the first publish of an imported page redirects its old address to it."""
    for old_path in ImportedPage.objects.filter(page_id=instance.pk).values_list("old_path", flat=True):
        redirect_old_address(old_path, instance)
