"""What the condition-page blocks share: the picker's groups, the preview page and the rich-text features."""

# Rich text inside a block may not add headings: each block owns its heading, so the outline stays valid.
INLINE_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# The block picker's groups, in the order an editor meets them.
GROUP_CONDITION = "About the condition"
GROUP_CARE = "Care and treatment"
GROUP_GENERAL = "General content"

# The block picker's previews: the block's own template inside a page that loads the site's stylesheet.
PREVIEW_TEMPLATE = "blocks/preview.html"


def described_things(schema_type, items):
    """Named items with an explanation (causes, treatment options) as schema.org things of `schema_type`."""
    things = [{"@type": schema_type, "name": item["name"], "description": item.get("explanation")} for item in items]
    return [{key: value for key, value in thing.items() if value} for thing in things]
