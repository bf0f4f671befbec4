"""The import's report: a row per old page, printed by the command, shown on the admin screen and
written as CSV (with cells a spreadsheet could run as formulas neutralised, as ops.exports does)."""

import csv
from dataclasses import asdict, dataclass, field

from ops.exports import neutralise_formula

COLUMNS = [
    ("old_url", "Old URL"),
    ("new_page", "New page"),
    ("result", "Result"),
    ("recognised", "Blocks recognised"),
    ("left_in_text", "Text left in text blocks"),
    ("images_missing", "Images missing"),
    ("still_to_write", "Still to write"),
    ("warnings", "Warnings"),
]


@dataclass
class ReportRow:
    old_url: str
    new_page: str = ""
    result: str = ""
    page_id: int | None = None
    recognised: list = field(default_factory=list)
    left_in_text: list = field(default_factory=list)
    images_missing: list = field(default_factory=list)
    still_to_write: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)

    def cells(self):
        values = [getattr(self, name) for name, _ in COLUMNS]
        return [neutralise_formula("; ".join(value) if isinstance(value, list) else str(value)) for value in values]

    def summary_line(self):
        line = f"{self.old_url} → {self.new_page or '(no page)'}: {self.result}"
        if self.recognised:
            line += f"; recognised {', '.join(self.recognised)}"
        if self.images_missing:
            line += f"; {len(self.images_missing)} image(s) missing"
        return line


def rows_from(data):
    return [ReportRow(**row) for row in data]


def write_csv(rows, file):
    writer = csv.writer(file)
    writer.writerow([heading for _, heading in COLUMNS])
    for row in rows:
        writer.writerow(row.cells())


def totals(rows):
    """{result: count}, in the order results first appear."""
    counts = {}
    for row in rows:
        counts[row.result] = counts.get(row.result, 0) + 1
    return counts
