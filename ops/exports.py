"""Spreadsheet exports (CSV and XLSX) that a spreadsheet cannot run as formulas.

Patients write whatever they like into the appointment form, visitors into the search box, editors
into titles. Excel, LibreOffice and Google Sheets read a cell
that starts with one of FORMULA_TRIGGERS as a formula (OWASP's "CSV injection"), so an answer such as
=HYPERLINK(...) or =cmd|' /C calc'!A0 would run on the front desk's computer when they open the export.
"""

from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets import HeaderButton

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The value, with a leading single quote if it is text a spreadsheet would read as a formula.

    The quote is OWASP's advice: spreadsheets take it to mean "this cell is text". Numbers and dates
    are not text and pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeExportMixin(SpreadsheetExportMixin):
    """Neutralises every text cell of the CSV and XLSX exports, headings included.

    Both formats pass each value through preprocess_field_value, after Wagtail has turned lists into
    text; headings are editors' question labels and are text too. A value that no longer starts with
    "=" is never made a formula by openpyxl.
    """

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise_formula(super().get_heading(queryset, field))


class ReportExportMixin(FormulaSafeExportMixin):
    """A report's exports: buttons beside its title, files named after the report and the day.

    Wagtail keeps "Download XLSX/CSV" in the header's "…" menu, where editors did not find them,
    and names every file "spreadsheet-export". Set `export_filename` to the report's name, e.g.
    "seo-audit": the file is then "seo-audit-2026-11-30.csv".
    """

    # Wagtail's own switch for the "…" menu entries; header_buttons shows them instead.
    show_export_buttons = False

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton("Download CSV", url=self.csv_export_url, icon_name="download", priority=100),
            HeaderButton("Download XLSX", url=self.xlsx_export_url, icon_name="download", priority=110),
        ]
