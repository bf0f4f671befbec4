"""Uploaded images, served by the app when they are kept on this server's disk.

Without a bucket (AWS_STORAGE_BUCKET_NAME), the production settings keep uploads in MEDIA_ROOT and
nothing else would answer for /media/: editors' images, clinician photos and social-card images
would all be broken. With a bucket, the storage hands out the bucket's URLs and this view answers 404.

Only images are served, with the content type their extension says, and only outside documents/:
Wagtail serves documents through /documents/<id>/<name>, which applies collection privacy; a direct
address would bypass it. SVG and HTML are never served: a browser runs scripts in either when
opened as a page from this origin.
"""

import os
import re
import stat
from urllib.parse import urlsplit

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponseNotFound, HttpResponseNotModified
from django.urls import re_path
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

IMAGE_CONTENT_TYPES = {
    "avif": "image/avif",
    "gif": "image/gif",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}

# Wagtail's Document.file upload folder.
DOCUMENTS_FOLDER = "documents"

# A week, public so that a CDN may keep a copy too. Rendition names carry their filter and focal
# point, and a replaced original gets a new name, so a file rarely changes under its address; but
# an image deleted from the library (a clinician who has left, a photo whose consent was withdrawn)
# should not live on in browsers and CDNs for a year, and a later upload may reuse a deleted name.
# A week keeps repeat visits free of image downloads and bounds how long a deleted image lingers.
MEDIA_CACHE_CONTROL = "public, max-age=604800"


def local_media_root():
    """The folder the default storage writes to, or None when it is not the local disk (a bucket)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return storage.location
    return None


def _not_found():
    # Plain text: missing images are asked for by <img> tags and probes, not read by people, and
    # rendering the site's 404 page for each would cost queries.
    return HttpResponseNotFound("Not found\n", content_type="text/plain; charset=utf-8")


def _safe_parts(path):
    """The path's segments, or None for anything that could leave MEDIA_ROOT or is not plain."""
    parts = path.split("/")
    for part in parts:
        if part in ("", ".", "..") or "\\" in part or "\0" in part:
            return None
    return parts


@require_safe
def serve_media(request, path):
    root = local_media_root()
    parts = _safe_parts(path)
    if root is None or parts is None or parts[0].lower() == DOCUMENTS_FOLDER:
        return _not_found()
    extension = os.path.splitext(parts[-1])[1].lstrip(".").lower()
    content_type = IMAGE_CONTENT_TYPES.get(extension)
    if content_type is None:
        return _not_found()
    try:
        # safe_join refuses anything that would resolve outside root, whatever got past the checks above.
        full_path = safe_join(root, *parts)
        handle = open(full_path, "rb")  # FileResponse closes it
    except (SuspiciousFileOperation, OSError):
        # Missing, a directory (IsADirectoryError), unreadable.
        return _not_found()
    status = os.fstat(handle.fileno())
    if not stat.S_ISREG(status.st_mode):
        handle.close()
        return _not_found()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), status.st_mtime):
        handle.close()
        response = HttpResponseNotModified()
    else:
        response = FileResponse(handle, content_type=content_type)
        response["Last-Modified"] = http_date(status.st_mtime)
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_urlpatterns(media_url):
    """The route for serve_media under MEDIA_URL; none when MEDIA_URL is another host (a CDN).

    Always present: serve_media decides on each request whether the storage is local, so a
    deployment (or a test) that changes STORAGES needs no other URL configuration.
    """
    prefix = urlsplit(media_url)
    if prefix.netloc or not prefix.path.strip("/"):
        return []
    route = re.escape(prefix.path.strip("/"))
    return [re_path(rf"^{route}/(?P<path>.+)$", serve_media, name="media")]
