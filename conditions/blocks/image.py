"""The image block: an image with its alt text (or marked decorative) and an optional caption."""

from wagtail import blocks
from wagtail.images import blocks as image_blocks
from wagtail.images import get_image_model

from conditions.blocks.shared import GROUP_GENERAL


def nest_image_alt_text(value):
    """An image block's value in the shape stored before conditions 0009, nested as ImageBlock has it.

    Before 0009 the image, its alt text and the decorative flag sat side by side in this block;
    they are now one wagtail.images ImageBlock. The data migration rewrites stored pages and
    revisions; this keeps values still built in the old shape in code (tests/factories.py) working.
    """
    if "alt_text" not in value and "decorative" not in value:
        return value
    decorative = bool(value.get("decorative"))
    return {
        "image": {
            "image": value.get("image"),
            "decorative": decorative,
            "alt_text": "" if decorative else value.get("alt_text") or "",
        },
        "caption": value.get("caption") or "",
    }


class ImageValue(blocks.StructValue):
    """value.image is the chosen Image, carrying this use's alt text (contextual_alt_text) and decorative flag."""

    @property
    def alt_text(self):
        image = self.get("image")
        return (image.contextual_alt_text or "") if image else ""

    @property
    def decorative(self):
        image = self.get("image")
        return bool(image and image.decorative)


class ImageBlock(blocks.StructBlock):
    """An image with its alt text (or marked decorative) and an optional caption.

    The image, alt text and decorative flag are Wagtail's own ImageBlock: choosing an image fills
    the alt text from the image's description, and the block refuses an image with neither alt
    text nor the decorative flag.
    """

    image = image_blocks.ImageBlock(
        help_text=(
            "Describe what the image shows for people who cannot see it, or tick “Image is decorative” "
            "if it adds nothing to the text (screen readers will skip it)."
        )
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = "Image"
        label_format = "{image}"
        value_class = ImageValue
        group = GROUP_GENERAL
        template = "blocks/image_block.html"
        preview_template = "blocks/image_block_preview.html"
        description = "An image from the image library with alternative text and an optional caption."
        preview_value = {"caption": "The caption appears under the image."}

    def get_preview_value(self):
        # The newest image in the library, with the alt text an editor choosing it would be offered;
        # an empty library previews the caption alone (see blocks/image_block_preview.html).
        image = get_image_model().objects.order_by("-created_at", "-pk").first()
        alt_text = image.default_alt_text if image else ""
        return self.normalize(
            {**self.meta.preview_value, "image": {"image": image, "decorative": False, "alt_text": alt_text}}
        )

    def to_python(self, value):
        return super().to_python(nest_image_alt_text(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([nest_image_alt_text(value) for value in values])

    def normalize(self, value):
        if isinstance(value, self.meta.value_class):
            return value
        return super().normalize(nest_image_alt_text(value))
