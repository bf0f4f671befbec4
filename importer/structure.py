"""An old page's content as a flat run of items (headings, paragraphs, lists, images), grouped into
sections under their headings; and sentences, split without breaking bold, italic or links."""

import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import strip_tags

from importer.html import HEADINGS, Node, parse, rich_text, squash

# A sentence ends at . ! or ? followed by space and a capital (or an opening quote or bracket).
_SENTENCE_END = re.compile(r"(?<=[.!?])([”’\"')]?)\s+(?=[A-Z0-9“‘\"(])")
_TAG = re.compile(r"(<[^>]+>)")
# "Name – explanation", "Name - explanation", "Name: explanation".
_NAMED = re.compile(r"^(?P<name>[^–:\n]{1,80}?)\s*(?:\s[–—-]\s|[–—]|:\s)\s*(?P<explanation>\S.*)$", re.DOTALL)


@dataclass
class Item:
    kind: str  # "heading", "paragraph", "list", "image"
    node: Node | None = None
    text: str = ""
    level: int = 0
    src: str = ""
    alt: str = ""
    caption: str = ""
    # Rich text that replaces the node's own (a paragraph a sentence was taken from).
    override: str = ""


@dataclass
class Section:
    heading: str
    items: list = field(default_factory=list)
    kind: str = ""  # "faq" when its heading, or the questions merged into it, say so
    is_question: bool = False


def content_node(body):
    return body if isinstance(body, Node) else parse(body)


def flatten(node):
    """The content's items in reading order; wrappers (div, section …) are looked through."""
    items = []
    loose = Node("p")

    def flush_loose():
        nonlocal loose
        if squash(loose.text()) or any(isinstance(c, Node) and c.tag == "img" for c in loose.children):
            items.extend(_paragraph_items(loose))
        loose = Node("p")

    for child in node.children:
        if isinstance(child, str) or child.tag in {"a", "b", "strong", "i", "em", "span", "br", "img"}:
            loose.children.append(child)
            continue
        flush_loose()
        tag = child.tag
        if tag in HEADINGS:
            if child.text():
                items.append(Item("heading", child, child.text(), level=int(tag[1])))
        elif tag == "p":
            items.extend(_paragraph_items(child))
        elif tag in ("ul", "ol"):
            if child.text():
                items.append(Item("list", child, child.text()))
        elif tag == "figure":
            caption = child.find(lambda n: n.tag == "figcaption")
            for image in child.iter("img"):
                items.append(_image_item(image, caption.text() if caption else ""))
        elif tag in ("table", "dl", "pre", "blockquote") and not any(n.tag in HEADINGS for n in child.iter()):
            # Kept as a paragraph of its text: rich text in a condition block holds no tables.
            if child.text():
                paragraph = Node("p")
                paragraph.children.append(child.text())
                items.append(Item("paragraph", paragraph, child.text()))
        elif tag != "hr":
            items.extend(flatten(child))
    flush_loose()
    return items


def _image_item(image, caption=""):
    return Item("image", image, src=image.get("src"), alt=squash(image.get("alt")), caption=caption)


def _paragraph_items(paragraph):
    items = [_image_item(image) for image in paragraph.iter("img")]
    text = paragraph.text()
    if not text:
        return items
    bold = [child for child in paragraph.children if not (isinstance(child, str) and not child.strip())]
    if len(bold) == 1 and isinstance(bold[0], Node) and bold[0].tag in {"b", "strong"} and _looks_like_heading(text):
        # A paragraph all in bold, short and not a sentence: the old editor's way of writing a heading.
        return [*items, Item("heading", paragraph, text, level=7)]
    return [*items, Item("paragraph", paragraph, text)]


def _looks_like_heading(text):
    return len(text) <= 100 and (not text.endswith((".", ":", "!")))


def sections(items):
    """(intro items, sections): a section starts at each heading of the top level the page uses;
    headings below it (h3 under h2) stay inside their section as items."""
    levels = [item.level for item in items if item.kind == "heading"]
    top = min(levels) if levels else 0
    intro, found = [], []
    for item in items:
        if item.kind == "heading" and item.level == top:
            found.append(Section(item.text))
        elif found:
            found[-1].items.append(item)
        else:
            intro.append(item)
    return intro, found


def split_rich_sentences(html):
    """The sentences of a paragraph's rich text, each still rich text: never split inside a tag or
    inside bold, italic or a link."""
    sentences, current, depth = [], "", 0
    for token in _TAG.split(html):
        if not token:
            continue
        if token.startswith("<"):
            depth += -1 if token.startswith("</") else 1
            current += token
            continue
        if depth:
            current += token
            continue
        pieces = _SENTENCE_END.split(token)
        # split() with one group: [text, closing quote, text, closing quote, text …]
        current += pieces[0]
        for index in range(1, len(pieces), 2):
            sentences.append(current + pieces[index])
            current = pieces[index + 1]
    sentences.append(current)
    return [squash(sentence) for sentence in sentences if strip_tags(sentence).strip()]


def split_sentences(text):
    """The sentences of plain text."""
    pieces = _SENTENCE_END.split(squash(text))
    sentences = [pieces[0]]
    for index in range(1, len(pieces), 2):
        sentences[-1] += pieces[index]
        sentences.append(pieces[index + 1])
    return [sentence for sentence in sentences if sentence]


def plain(html):
    """Rich text as plain text (for the blocks' plain text fields)."""
    return squash(unescape(strip_tags(html)))


def named(text):
    """("Name", "explanation") for "Name – explanation" and its variants, else None."""
    match = _NAMED.match(text)
    if not match or match.group("name").strip().endswith(".") or len(match.group("name").split()) > 8:
        return None
    return match.group("name").strip(), match.group("explanation").strip()


def named_item(node, link_for=None):
    """A list item or paragraph read as a name and its explanation: a leading bold name, or the text's
    own "Name – explanation" form. None when it is neither."""
    children = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
    if children and isinstance(children[0], Node) and children[0].tag in {"b", "strong"}:
        name = children[0].text().rstrip(":–—- ").strip()
        rest = Node("p")
        rest.children = children[1:]
        explanation = plain(rich_text(rest, link_for)).lstrip(":–—- ").strip()
        if name and explanation and len(name) <= 80:
            return name, explanation
    return named(node.text())


def list_items(node):
    return [item for item in node.elements() if item.tag == "li" and item.text()]
