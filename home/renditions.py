"""Renditions of the images every page shows, kept per page-cache generation."""

from pagecache.store import for_current_generation


def kept_rendition(image_id, spec, get_image):
    """{"url", "width", "height"} of image `image_id` resized by `spec` ("height-96|format-webp");
    `get_image()` returns the image, and is called only when the rendition is not kept already.

    For images every page shows (the logo): looked up, or made, once per page-cache generation, as
    the settings are, rather than on each render.
    """

    def load():
        rendition = get_image().get_rendition(spec)
        return {"url": rendition.url, "width": rendition.width, "height": rendition.height}

    return for_current_generation(f"rendition:{image_id}:{spec}", load)
