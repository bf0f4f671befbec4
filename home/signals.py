"""Work done when a page is published: its images' renditions, made before any visitor asks."""

import logging

from home.renditions import prepare_renditions

logger = logging.getLogger(__name__)


def prepare_page_images(sender, instance, **kwargs):
    """Make the renditions the published page's template will ask for (BasePage.images_to_prepare)."""
    for image, spec in getattr(instance, "images_to_prepare", list)():
        try:
            prepare_renditions(image, spec)
        except Exception:
            # A rendition that cannot be made now is made when the page is first shown instead.
            logger.exception("Could not make the renditions of image %s", getattr(image, "pk", None))
