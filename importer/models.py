"""What the import remembers: the pages it made (so that a second run updates them rather than
making more), and the uploads waiting on the admin screen."""

from django.conf import settings
from django.db import models
from wagtail.images import get_image_model_string


class ImportedPage(models.Model):
    """An old page and the draft the import made of it.

    `revision` is the revision the import last wrote: when the page's latest revision is another
    (an editor saved it since) or the page is live, a rerun leaves it alone and says so.
    """

    old_path = models.CharField(max_length=255, unique=True, help_text="The old address, e.g. /sciatica/.")
    old_url = models.CharField(max_length=500)
    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+")
    content_digest = models.CharField(max_length=64, blank=True, help_text="A fingerprint of what the import wrote.")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported page"

    def __str__(self):
        return self.old_path


class ImportRun(models.Model):
    """An export uploaded on the admin screen: its dry-run report, then its import, a batch at a time."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked (dry run)"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(max_length=255)
    # Where the upload waits (outside MEDIA_ROOT, never served); emptied once imported or discarded.
    upload_path = models.CharField(max_length=500, blank=True)
    parent = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKED)
    total = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0, help_text="How many pages are imported so far.")
    dry_run_report = models.JSONField(default=list)
    report = models.JSONField(default=list)

    class Meta:
        verbose_name = "import run"

    def __str__(self):
        return f"{self.source_name} ({self.get_status_display()})"


class ImportedImage(models.Model):
    """An image file the import brought into the library, by a fingerprint of the file as found
    (the library's own copy may be scaled down), so that a rerun finds it again."""

    source_digest = models.CharField(max_length=64, unique=True)
    image = models.ForeignKey(get_image_model_string(), on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return self.source_digest
