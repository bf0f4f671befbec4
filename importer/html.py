"""A small HTML tree read with the standard library's parser, and what the import needs of it.

Saved pages and WordPress post bodies are read into Node trees (no scripts run, nothing fetched);
`rich_text` writes a node's content back out in the few tags Wagtail's rich text keeps.
"""

import re
from html import escape
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Never page content: left out with everything inside them.
SKIPPED = {"script", "style", "noscript", "template", "svg", "iframe", "object", "form", "button", "select"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "figure", "figcaption", "table", "header", "footer", "nav", "aside", "hr", "pre", "dl",
}  # fmt: skip
# Table cells and definition terms: their texts are words apart.
CELL_TAGS = {"td", "th", "tr", "dt", "dd", "caption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Rich text keeps these (the condition blocks' features: bold, italic, link, lists), renamed as Wagtail stores them.
INLINE_KEPT = {"b": "b", "strong": "b", "i": "i", "em": "i"}
_SPACE = re.compile(r"\s+")


class Node:
    def __init__(self, tag, attrs=None, parent=None):
        self.tag = tag
        self.attrs = dict(attrs or {})
        self.children = []
        self.parent = parent

    def __repr__(self):
        return f"<{self.tag} {len(self.children)} children>"

    def get(self, name, default=""):
        return self.attrs.get(name) or default

    @property
    def classes(self):
        return set(self.get("class").split())

    def elements(self):
        return [child for child in self.children if isinstance(child, Node)]

    def iter(self, tag=None):
        """This node and every element below it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.elements():
            yield from child.iter(tag)

    def find(self, predicate):
        return next((node for node in self.iter() if predicate(node)), None)

    def text(self):
        """The text inside, with white space collapsed (a <br> counts as a space)."""
        return squash("".join(_raw_text(self)))


def _raw_text(node):
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.tag == "br":
            yield " "
        else:
            spaced = child.tag in BLOCK_TAGS or child.tag in CELL_TAGS
            if spaced:
                yield " "
            yield from _raw_text(child)
            if spaced:
                yield " "


def squash(text):
    return _SPACE.sub(" ", text).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag in SKIPPED:
                self.skipping += 1
            return
        if tag in SKIPPED:
            self.skipping = 1
            return
        if tag == "p" and self.stack[-1].tag == "p":
            self._close("p")  # an unclosed paragraph ends where the next begins
        node = Node(tag, [(name, value or "") for name, value in attrs], self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skipping and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in SKIPPED:
                self.skipping -= 1
            return
        self._close(tag)

    def _close(self, tag):
        # A stray end tag (one never opened) is ignored; an end tag closes what was left open inside it.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse(html):
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()
    return builder.root


def autop(html):
    """WordPress stores post bodies without <p> around plain paragraphs (its theme adds them when it
    shows the post); paragraphs are separated by blank lines. This adds them, as WordPress does."""
    if re.search(r"<p[\s>]", html or "", re.IGNORECASE):
        return html
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", html or "") if chunk.strip()]
    tags = "|".join(sorted(BLOCK_TAGS | {"img"}))
    block_start = re.compile(rf"^<(?:{tags})[\s>/]", re.IGNORECASE)
    return "\n".join(chunk if block_start.match(chunk) else f"<p>{chunk}</p>" for chunk in chunks)


def rich_text(node, link_for=None):
    """The inside of `node` as Wagtail rich-text HTML: paragraphs, lists, bold, italic and links.

    `link_for(href)` gives the stored form of a link: a page link (`linktype="page" id="7"`) for an
    address of an old page that was imported, else the address itself.
    """
    out = []
    _write_inline(node, out, link_for)
    return squash("".join(out))


def _write_inline(node, out, link_for):
    for child in node.children:
        if isinstance(child, str):
            out.append(escape(squash_keep_edges(child), quote=False))
            continue
        tag = child.tag
        if tag == "br":
            out.append(" ")
        elif tag in INLINE_KEPT:
            inner = []
            _write_inline(child, inner, link_for)
            text = "".join(inner)
            out.append(f"<{INLINE_KEPT[tag]}>{text}</{INLINE_KEPT[tag]}>" if text.strip() else text)
        elif tag == "a" and child.get("href"):
            inner = []
            _write_inline(child, inner, link_for)
            out.append(f"<a {link_attributes(child.get('href'), link_for)}>{''.join(inner)}</a>")
        elif tag in ("ul", "ol"):
            items = [rich_text(item, link_for) for item in child.elements() if item.tag == "li"]
            out.append(f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items if item) + f"</{tag}>")
        elif tag == "p":
            inner = rich_text(child, link_for)
            if inner:
                out.append(f"<p>{inner}</p>")
        elif tag == "img":
            continue  # images become image blocks of their own
        else:
            _write_inline(child, out, link_for)


def link_attributes(href, link_for):
    stored = link_for(href) if link_for else None
    if isinstance(stored, int):
        return f'linktype="page" id="{stored}"'
    return f'href="{escape(href)}"'


def squash_keep_edges(text):
    """White space collapsed, keeping one space at either end (it separates words from tags around them)."""
    return _SPACE.sub(" ", text)


def paragraph_html(parts):
    """Paragraphs and lists (already rich text) as one rich-text value."""
    return "".join(part if part.startswith(("<ul>", "<ol>", "<p>")) else f"<p>{part}</p>" for part in parts if part)
