"""The import screen's upload: one WordPress export (.xml) or one saved page (.html), within the size
the site accepts."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

ACCEPTED_SUFFIXES = {".xml", ".html", ".htm"}


def max_upload():
    return getattr(settings, "IMPORT_MAX_UPLOAD", 20 * 1024 * 1024)


class UploadForm(forms.Form):
    export = forms.FileField(
        label="WordPress export or saved page",
        help_text=(
            "The .xml file WordPress writes under Tools → Export (choose “All content” or “Pages”), or one page "
            f"saved from the old site as .html. At most {filesizeformat(max_upload())}."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_SUFFIXES))}),
    )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(
                "This is not a WordPress export: choose the .xml file from Tools → Export, or a saved .html page."
            )
        if upload.size > max_upload():
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the import takes at most {filesizeformat(max_upload())}. "
                "Export the pages alone (Tools → Export → Pages) for a smaller file."
            )
        start = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        upload.seek(0)
        if not start.startswith(b"<"):
            raise forms.ValidationError("The file does not contain XML or HTML; choose the export file itself.")
        return upload
