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


def prepare_renditions(image, spec):
    """Make the renditions `{% picture image <spec> %}` asks for, so that no visitor's request has to.

    `spec` is written as in the template (operations separated by spaces, sizes and formats in
    braces); called when a page is published (BasePage.images_to_prepare), so the first visitor
    gets files that already exist.
    """
    if image is None:
        return
    from wagtail.images.models import Filter  # the image models need the app registry ready

    image.get_renditions(*Filter.expand_spec("|".join(spec.split())))
