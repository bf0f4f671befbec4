"""A condition page's outline: each block with a heading gets an anchor, and "On this page" links to it."""

from django.utils.text import slugify

# Too few sections to need a table of contents.
MIN_SECTIONS_FOR_OUTLINE = 3


def outline(body):
    """[{"block", "anchor", "heading"}] for every block of `body`, in order; blocks without a heading
    (a call to action, an image) have an empty anchor. Anchors come from the headings, so a link
    to a section survives reordering, and repeat headings are numbered."""
    sections, seen = [], set()
    for block in body:
        heading = block.value.get("heading", "") if hasattr(block.value, "get") else ""
        anchor = ""
        if heading:
            base = slugify(heading) or "section"
            anchor, number = base, 2
            while anchor in seen:
                anchor, number = f"{base}-{number}", number + 1
            seen.add(anchor)
        sections.append({"block": block, "anchor": anchor, "heading": heading})
    return sections


def contents(sections):
    """The sections "On this page" lists (those with a heading), or none when there are too few."""
    headed = [section for section in sections if section["anchor"]]
    return headed if len(headed) >= MIN_SECTIONS_FOR_OUTLINE else []
