"""Running an import: all at once (the command), or from the admin screen a batch at a time, each
batch short enough for one request, with the upload kept out of the public media until it is done."""

import shutil
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from wagtail.models import Page, Site

from conditions.models import ConditionIndexPage, ConditionPage
from importer.models import ImportRun
from importer.report import ReportRow, rows_from
from importer.sources import ImportFileError, read_source
from importer.writer import Importer

BATCH_PAGES = 10
UPLOAD_GONE = (
    "The uploaded file is no longer on the server: upload it again to import the rest (a rerun skips what is done)."
)
STALE_AFTER = timedelta(days=1)


def find_parent(path=None):
    """The page the drafts go under: the conditions index, or the page at `path` ("/conditions/")."""
    if not path:
        parent = ConditionIndexPage.objects.order_by("path").first()
        if parent is None:
            raise ImportFileError("There is no conditions index page to import under; create it first.")
        return parent
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root_path = site.root_page.url_path if site else "/"
    parent = Page.objects.filter(url_path=f"{root_path}{path.strip('/')}/".replace("//", "/")).first()
    if parent is None:
        raise ImportFileError(f"No page at {path} to import under.")
    if not ConditionPage.can_create_at(parent):
        raise ImportFileError(f"Condition pages cannot be added under {path}; choose the conditions index.")
    return parent


def import_pages(old_pages, parent, user=None, dry_run=False):
    """The report rows of importing these old pages (nothing written when `dry_run`)."""
    importer = Importer(parent, user=user, dry_run=dry_run)
    with transaction.atomic():
        importer.prepare(old_pages)
    rows = []
    for old in old_pages:
        with transaction.atomic():
            rows.append(importer.import_page(old))
    return rows


# --- the admin screen's runs ----------------------------------------------------------------------


def upload_dir():
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", settings.BASE_DIR / "import-uploads"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def check_upload(upload, user, parent):
    """An ImportRun holding the upload and its dry-run report; ImportFileError (and nothing kept)
    when the file cannot be read."""
    discard_stale_uploads()
    # A folder of its own, so that a saved page keeps its name (its old address may come from it).
    folder = upload_dir() / uuid.uuid4().hex
    folder.mkdir(mode=0o700)
    path = folder / (get_valid_filename(Path(upload.name).name) or "export.xml")
    with path.open("wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    try:
        old_pages = read_source(path, find_images=False)
        rows = import_pages(old_pages, parent, user=user, dry_run=True)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ImportRun.objects.create(
        user=user,
        source_name=Path(upload.name).name[:255],
        upload_path=str(path),
        parent=parent,
        total=len(old_pages),
        dry_run_report=[row.as_dict() for row in rows],
    )


def start_import(run):
    if run.status == ImportRun.Status.CHECKED:
        run.status = ImportRun.Status.IMPORTING
        run.save(update_fields=["status"])


def import_next_batch(run_pk):
    """Import the run's next BATCH_PAGES pages; the run as it stands afterwards.

    The run's row is locked while a batch runs, so two refreshing tabs never import the same pages.
    """
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_pk)
        if run.status != ImportRun.Status.IMPORTING:
            return run
        try:
            old_pages = read_source(run.upload_path, find_images=False)
        except ImportFileError:
            # The upload is gone (removed by hand, or a different server): stop, keeping what was imported.
            run.report.append(ReportRow(old_url=run.source_name, result="stopped", warnings=[UPLOAD_GONE]).as_dict())
            run.status = ImportRun.Status.DONE
            run.save()
            return run
        importer = Importer(run.parent, user=run.user)
        importer.prepare(old_pages)
        batch = old_pages[run.position : run.position + BATCH_PAGES]
        for old in batch:
            with transaction.atomic():
                run.report.append(importer.import_page(old).as_dict())
        run.position += len(batch)
        if run.position >= len(old_pages):
            run.status = ImportRun.Status.DONE
            remove_upload(run)
        run.save()
    return run


def remove_upload(run):
    if run.upload_path:
        shutil.rmtree(Path(run.upload_path).parent, ignore_errors=True)
        run.upload_path = ""


def discard_stale_uploads():
    """Uploads checked but never imported are removed after a day."""
    stale = ImportRun.objects.filter(status=ImportRun.Status.CHECKED, created_at__lt=timezone.now() - STALE_AFTER)
    for run in stale.exclude(upload_path=""):
        remove_upload(run)
        run.save(update_fields=["upload_path"])


def report_rows(run):
    return rows_from(run.report if run.status != ImportRun.Status.CHECKED else run.dry_run_report)
