"""Keep the page cache and the CDN in step with what editors change.

Publishing, unpublishing or saving a page retires the pages that show something of it (the page
type says which: BasePage.pages_showing_this()) plus the pages that link to it (Wagtail's reference
index): in the page cache by replacing their addresses' versions, at the CDN by purging them. A
change that shows on every page (a setting, a snippet, an image, a site, a privacy restriction, the
home page or a page in its menu, a clinic, a move, a new address, a deletion) replaces the site-wide
generation and purges every live page (see pagecache/middleware.py).

Both happen now and again once the transaction commits: the second closes the window in which a
request could render the still-uncommitted old content under the new tokens.
"""

import logging
import threading

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from pagecache.store import bump_generation, finish_request, retire_paths, start_request

logger = logging.getLogger(__name__)

# Fields that save_revision() and page locking write: a draft changes nothing visitors see.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "comments",
        "wagtail_admin_comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)

_pending_purge = threading.local()


def content_changed():
    bump_generation()
    transaction.on_commit(bump_generation)


# --- CDN ------------------------------------------------------------------------------------


def cdn_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def schedule_cdn_purge(pages=(), everything=False):
    """Purge these pages (or every live page) from the CDN once the transaction commits.

    Changes inside one transaction (a page tree deleted, say) collect into one purge.
    """
    if not cdn_configured():
        return
    state = getattr(_pending_purge, "state", None)
    if state is None:
        state = _pending_purge.state = {"pages": {}, "everything": False}
    for page in pages:
        state["pages"][page.pk] = page
    state["everything"] = state["everything"] or everything
    transaction.on_commit(_flush_cdn_purge)


def _flush_cdn_purge():
    state = getattr(_pending_purge, "state", None)
    _pending_purge.state = None
    if not state:
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    pages = Page.objects.live().public().specific() if state["everything"] else state["pages"].values()
    batch = PurgeBatch()
    batch.add_pages(pages)
    try:
        batch.purge()
    except Exception:
        # The CDN keeps a copy for at most s-maxage (PAGE_CACHE_CDN_SECONDS); publishing must not fail.
        logger.exception("CDN purge failed")


# --- What a model change means -------------------------------------------------------------

_kinds = {}


def _kind_of(model):
    """'page', 'shared' (shown on every page), or None for models visitors never see."""
    if model not in _kinds:
        if issubclass(model, Page):
            kind = "page"
        elif (
            issubclass(
                model, (BaseGenericSetting, BaseSiteSetting, Site, AbstractImage, AbstractDocument, PageViewRestriction)
            )
            or model in get_snippet_models()
            or getattr(model, "shown_on_every_page", False)
        ):
            kind = "shared"
        else:
            kind = None
        _kinds[model] = kind
    return _kinds[model]


def pages_linking_to(page):
    """The pages whose content links to this page, or None when a setting or snippet does."""
    page_ids = set()
    for reference in ReferenceIndex.get_references_to(page).select_related("content_type"):
        source = reference.content_type.model_class()
        kind = _kind_of(source) if source is not None else "shared"
        if kind == "page":
            page_ids.add(int(reference.object_id))
        elif kind == "shared":
            return None
        # Anything else (a form submission recording where a visitor came from) is never shown.
    return list(Page.objects.filter(pk__in=page_ids))


def pages_affected_by(page):
    """The pages whose HTML shows something of `page`, or None when every page may."""
    page = page.specific
    showing = page.pages_showing_this() if hasattr(page, "pages_showing_this") else None
    if showing is None:
        return None
    linking = pages_linking_to(page)
    if linking is None:
        return None
    return {shown.pk: shown for shown in [*showing, *linking]}.values()


def page_changed(page):
    affected = pages_affected_by(page)
    if affected is None:
        content_changed()
        schedule_cdn_purge(everything=True)
        return
    paths = sorted({parts[2] for parts in (shown.get_url_parts() for shown in affected) if parts})
    retire_paths(paths)
    transaction.on_commit(lambda: retire_paths(paths))
    # Wagtail purges the page itself as the publish happens, before the transaction commits; a CDN
    # refetching in between would keep the old copy, so these are purged after the commit.
    schedule_cdn_purge(pages=Page.objects.filter(pk__in=[shown.pk for shown in affected]).specific())


def on_model_saved(sender, instance, update_fields=None, **kwargs):
    kind = _kind_of(sender)
    if kind is None:
        return
    if kind == "page":
        if update_fields is None or not set(update_fields) <= DRAFT_ONLY_FIELDS:
            page_changed(instance)
        return
    content_changed()
    schedule_cdn_purge(everything=True)


def on_model_deleted(sender, instance, **kwargs):
    kind = _kind_of(sender)
    if kind is None:
        return
    content_changed()
    if kind == "shared" or instance.live:
        schedule_cdn_purge(everything=True)


def on_page_published_or_unpublished(sender, instance, **kwargs):
    page_changed(instance)


def on_address_changed(sender, instance, **kwargs):
    content_changed()
    # The page and its subtree have new addresses; breadcrumbs, links and menus change with them.
    schedule_cdn_purge(everything=True)


def connect():
    # The generation is read once per request (pagecache/).
    request_started.connect(start_request, dispatch_uid="pagecache.request_started")
    request_finished.connect(finish_request, dispatch_uid="pagecache.request_finished")
    post_save.connect(on_model_saved, dispatch_uid="pagecache.saved")
    post_delete.connect(on_model_deleted, dispatch_uid="pagecache.deleted")
    page_published.connect(on_page_published_or_unpublished, dispatch_uid="pagecache.published")
    page_unpublished.connect(on_page_published_or_unpublished, dispatch_uid="pagecache.unpublished")
    post_page_move.connect(on_address_changed, dispatch_uid="pagecache.moved")
    page_slug_changed.connect(on_address_changed, dispatch_uid="pagecache.slug_changed")
