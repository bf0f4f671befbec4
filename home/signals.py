"""Keep the page cache and the CDN in step with what editors change.

Anything a page shows — the page itself, its neighbours in menus and listings, practice settings,
snippets, images, sites, privacy restrictions — retires the page cache's generation (see
home/cache.py). The CDN, when one is configured, is purged as narrowly as the change allows: the
published or unpublished page and its parent, whose listing shows it, or every live page when the
change shows on all of them (a setting, a snippet, a menu entry, a move or a deletion).

Both happen now and again once the transaction commits: the second closes the window in which a
request could render the still-uncommitted old content under the new generation.
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
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from home.cache import bump_generation, finish_request, start_request

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


def on_model_saved(sender, instance, update_fields=None, **kwargs):
    kind = _kind_of(sender)
    if kind is None:
        return
    if kind == "page" and update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    content_changed()
    if kind == "shared":
        schedule_cdn_purge(everything=True)


def on_model_deleted(sender, instance, **kwargs):
    kind = _kind_of(sender)
    if kind is None:
        return
    content_changed()
    if kind == "shared" or instance.live:
        schedule_cdn_purge(everything=True)


def on_page_published_or_unpublished(sender, instance, **kwargs):
    content_changed()
    if instance.show_in_menus:
        # The main menu on every page lists it.
        schedule_cdn_purge(everything=True)
    else:
        # Wagtail purges the page itself as the publish happens, before the transaction commits; a
        # CDN refetching in between would keep the old copy, so purge it again after the commit.
        parent = instance.get_parent()
        schedule_cdn_purge(pages=[instance, parent.specific] if parent else [instance])


def on_page_moved(sender, instance, **kwargs):
    content_changed()
    # The page and its subtree have new addresses; breadcrumbs and menus change with them.
    schedule_cdn_purge(everything=True)


def connect():
    # The generation is read once per request (home/cache.py).
    request_started.connect(start_request, dispatch_uid="home.page_cache.request_started")
    request_finished.connect(finish_request, dispatch_uid="home.page_cache.request_finished")
    post_save.connect(on_model_saved, dispatch_uid="home.page_cache.saved")
    post_delete.connect(on_model_deleted, dispatch_uid="home.page_cache.deleted")
    page_published.connect(on_page_published_or_unpublished, dispatch_uid="home.page_cache.published")
    page_unpublished.connect(on_page_published_or_unpublished, dispatch_uid="home.page_cache.unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="home.page_cache.moved")
