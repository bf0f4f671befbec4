"""manage.py import_old_site SOURCE [--dry-run] [--parent /conditions/] [--report FILE.csv]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from importer.report import totals, write_csv
from importer.runs import find_parent, import_pages
from importer.sources import ImportFileError, read_source


class Command(BaseCommand):
    help = (
        "Import the old site's condition pages, from a WordPress export (WXR) or a folder of saved pages, "
        "as draft condition pages with typed blocks and 301 redirects from their old addresses. Safe to "
        "run again: it updates its own drafts and never overwrites an editor's changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A WordPress export file (.xml) or a folder of saved .html pages.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write only the report.")
        parser.add_argument(
            "--parent", default="", help="The path of the page to import under (default: the conditions index)."
        )
        parser.add_argument(
            "--report", default="", help="Where to write the CSV report (default: import-report-<time>.csv)."
        )

    def handle(self, *args, source, dry_run, parent, report, **options):
        try:
            old_pages = read_source(source)
            parent_page = find_parent(parent)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        rows = import_pages(old_pages, parent_page, dry_run=dry_run)
        report = report or f"import-report-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
        with open(report, "w", newline="", encoding="utf-8") as file:
            write_csv(rows, file)
        for row in rows:
            self.stdout.write(row.summary_line())
            for warning in row.warnings:
                self.stdout.write(f"    {warning}")
        counts = ", ".join(f"{count} {result}" for result, count in totals(rows).items())
        prefix = "Dry run, nothing imported: " if dry_run else ""
        self.stdout.write(f"{prefix}{len(rows)} old page(s): {counts}. Report: {report}")
