"""Writing what the import recognised: a draft condition page per old page (never published), its
images, and the record that lets a rerun find it again, and with it the 301 from its old address.

The redirect itself is made when the page is first published (importer.redirects).
A rerun updates only the drafts the import made and nobody changed since; an unchanged old page
writes nothing at all (no revision, no redirect, no image).
"""

import hashlib
import json
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.utils.text import slugify

from conditions.models import ConditionPage
from importer.images import ImageFinder, import_image, known_image
from importer.models import ImportedPage
from importer.recognise import recognise
from importer.redirects import redirect_old_address, redirect_problem
from importer.report import ReportRow
from importer.sources import old_path

DRY_RUN_IMAGE = 0  # stands for an image found but, in a dry run, not imported


def digest(draft):
    return hashlib.sha256(json.dumps(draft.fields(), sort_keys=True).encode()).hexdigest()


def site_host(url):
    """The old site's host in an address, the same with or without "www." (and whatever the scheme)."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def address(page):
    """The page's address on the site (its path in the page tree when no site serves it)."""
    return page.get_url() or page.url_path


class Importer:
    def __init__(self, parent, user=None, dry_run=False):
        self.parent = parent
        self.user = user
        self.dry_run = dry_run
        self.finder = ImageFinder()
        self.page_ids = {}  # old path → page id, for links between old pages
        self.records = {}
        self.problems = {}  # old path → why it is not imported
        self.hosts = set()

    # --- first: a page for every old page, so that links between them can point to pages ----------

    def prepare(self, old_pages):
        paths = [page.old_path for page in old_pages]
        self.hosts = {site_host(page.old_url) for page in old_pages} - {""}
        self.records = {record.old_path: record for record in ImportedPage.objects.filter(old_path__in=paths)}
        seen = set()
        for old in old_pages:
            path = old.old_path
            record = self.records.get(path)
            if path in seen:
                self.problems[path] = f"Another page in the source has the same address {path}: imported once."
            elif len(path) > ImportedPage._meta.get_field("old_path").max_length:
                self.problems[path] = "The old address is too long to redirect; add a redirect by hand."
            elif path == "/":
                self.problems[path] = "The page has no address of its own (it was the old home page)."
            elif record is not None and record.page_id is None:
                self.problems[path] = "The page the import made was deleted since: not made again."
            elif record is not None:
                self.page_ids[path] = record.page_id
            else:
                self.make_page(old)
            seen.add(path)

    def new_slug(self, old):
        return slugify(old.title)[:255] or slugify(old.old_path.strip("/").replace("/", "-"))[:255]

    def make_page(self, old):
        slug = self.new_slug(old)
        sibling = self.parent.get_children().filter(slug=slug).first()
        if sibling is not None:
            self.problems[old.old_path] = (
                f"A page the import did not make is already at {address(sibling)}: not imported. Compare them, "
                "then delete or rename one and import again."
            )
            return
        if self.dry_run:
            return
        title = (old.title or slug)[:255]
        with transaction.atomic():
            page = self.parent.add_child(instance=ConditionPage(title=title, slug=slug, summary=title, live=False))
            ImportedPage.objects.create(old_path=old.old_path, old_url=old.old_url[:500], page=page)
        self.page_ids[old.old_path] = page.pk

    # --- then each page's content ----------------------------------------------------------------

    def import_page(self, old):
        path = old.old_path
        row = ReportRow(old_url=old.old_url)
        if path in self.problems:
            row.result = "not imported"
            row.warnings = [self.problems[path]]
            return row
        page_id = self.page_ids.get(path)
        page = ConditionPage.objects.get(pk=page_id) if page_id else None
        record = self.records.get(path)
        if page is not None:
            row.new_page, row.page_id = address(page), page.pk
        # Written before (it has a fingerprint) and since then changed: published, or a newer revision
        # saved (or the import's own revision purged, which only happens once a newer one exists).
        written = record is not None and bool(record.content_digest)
        if written and (page.live or page.latest_revision_id != record.revision_id):
            row.result = "left as it is: changed by an editor since the import"
            if page.live:
                row.result = "left as it is: published since the import"
            return row

        draft = recognise(old, self.link_resolver(old, row), self.image_resolver(row))
        row.recognised, row.left_in_text = draft.recognised, draft.left_in_text
        row.images_missing, row.still_to_write = draft.images_missing, draft.still_to_write
        row.warnings = [*draft.warnings, *row.warnings]
        new_digest = digest(draft)
        if page is None:
            row.result = "would be created"
            row.new_page = f"{address(self.parent)}{self.new_slug(old)}/"
        elif written and record.content_digest == new_digest:
            row.result = "unchanged"
        else:
            row.result = "updated" if written else "created"
            if self.dry_run:
                row.result = "would be updated" if row.result == "updated" else "would be created"
            else:
                self.write(page, draft, new_digest, path)
        self.ensure_redirect(path, page, row)
        return row

    def write(self, page, draft, new_digest, path):
        for name, value in draft.fields().items():
            setattr(page, name, value)
        page.title = page.title[:255]
        page.draft_title = page.title
        with transaction.atomic():
            # The row too: a page never published is listed and searched in the admin by what its row says.
            page.save()
            revision = page.save_revision(user=self.user, log_action=True)
            ImportedPage.objects.filter(old_path=path).update(revision=revision, content_digest=new_digest)

    def ensure_redirect(self, path, page, row):
        """The old address redirects to the page once it is published (importer.redirects)."""
        if problem := redirect_problem(path, page):
            row.warnings.append(problem)
        elif page is not None and page.live and not self.dry_run:
            redirect_old_address(path, page)

    # --- what recognition asks of the site -------------------------------------------------------

    def link_resolver(self, old, row):
        def link_for(href):
            target = urlsplit(urljoin(old.old_url, href))
            if target.scheme not in ("http", "https", "") or (
                target.netloc and site_host(target.geturl()) not in self.hosts
            ):
                return None
            if target.path.startswith("/wp-content/") or not target.path.strip("/"):
                return None
            page_id = self.page_ids.get(old_path(target.path))
            if page_id is None and old_path(target.path) not in self.problems:
                note = f"Link to {href}, an old address not in this import: check it."
                if note not in row.warnings:
                    row.warnings.append(note)
            return page_id

        return link_for

    def image_resolver(self, row):
        def image_for(old, src, alt):
            path = self.finder.find(old.folder, src, old.old_url)
            if path is None:
                return None
            if self.dry_run:
                return known_image(path) or DRY_RUN_IMAGE
            image, problem = import_image(path, alt)
            if problem:
                row.warnings.append(problem)
            return image.pk if image else None

        return image_for
