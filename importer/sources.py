"""Reading the old site: a WordPress export (WXR) or a folder of saved pages, into OldPage records.

Nothing here writes anything. XML is read with defusedxml, refusing any DTD (so no entity expansion
and no external entity can be declared) and never touching the network; HTML is read with the
standard library's parser (importer.html).
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import defusedxml
from defusedxml import ElementTree as SafeET

from importer.html import autop, parse, squash

HTML_SUFFIXES = {".html", ".htm"}
MAX_PAGE_BYTES = 5 * 1024 * 1024
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# The SEO plugins' post meta: Yoast, then All in One SEO (both its old and new keys).
TITLE_KEYS = ("_yoast_wpseo_title", "_aioseo_title", "_aioseop_title")
DESCRIPTION_KEYS = ("_yoast_wpseo_metadesc", "_aioseo_description", "_aioseop_description")
IMPORTED_TYPES = {"page", "post"}
_YOAST_VARIABLE = re.compile(r"%%([a-z_]+)%%")


class ImportFileError(Exception):
    """The source cannot be read; the message says why, in words for whoever ran the import."""


@dataclass
class OldPage:
    old_url: str
    title: str
    body_html: str
    seo_title: str = ""
    seo_description: str = ""
    categories: list = field(default_factory=list)
    # Where the page's images may be found: the folder of the export or of the saved page.
    folder: Path | None = None
    warnings: list = field(default_factory=list)

    @property
    def old_path(self):
        return old_path(self.old_url)


def old_path(url):
    """The path of an old address, with its trailing slash: "/sciatica-treatment-charleston-sc/"."""
    path = unquote(urlsplit(url.strip()).path or "/")
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/") and not PurePosixPath(path).suffix:
        path += "/"
    return path


def read_source(path, find_images=True):
    """The old pages in a WXR file, a saved HTML page or a folder of them; their images are looked
    for beside them unless `find_images` is false (an upload comes alone)."""
    path = Path(path)
    if path.is_dir():
        pages = read_html_folder(path)
    elif not path.is_file():
        raise ImportFileError(f"{path} is neither a WordPress export file nor a folder of saved pages.")
    elif path.suffix.lower() in HTML_SUFFIXES:
        pages = [read_html_page(path, path.parent)]
    else:
        pages = read_wxr(path.read_bytes(), folder=path.parent)
    for page in pages if not find_images else []:
        page.folder = None
    return pages


# --- WordPress export ---------------------------------------------------------------------------


def local_name(element):
    return element.tag.rpartition("}")[2]


def namespace(element):
    return element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""


def wp_child(element, name):
    """The text of the WordPress-namespace child `name` (wp:post_type …), whatever the WXR version."""
    for child in element:
        if local_name(child) == name and "wordpress.org/export" in namespace(child):
            return (child.text or "").strip()
    return ""


def parse_xml(data):
    """The XML document, or ImportFileError for a hostile or malformed one (nothing is read further)."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as error:
        raise ImportFileError(
            "The file declares a document type or entities, which a WordPress export never does; it was "
            "refused for safety and nothing was imported."
        ) from error
    except ET.ParseError as error:
        raise ImportFileError(f"The file is not well-formed XML ({error}); nothing was imported.") from error


def read_wxr(data, folder=None):
    root = parse_xml(data)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or not any("wordpress.org/export" in namespace(el) for el in root.iter()):
        raise ImportFileError("The file is XML but not a WordPress export (Tools → Export); nothing was imported.")
    attachments = {
        wp_child(item, "post_id"): wp_child(item, "attachment_url")
        for item in channel.findall("item")
        if wp_child(item, "post_type") == "attachment"
    }
    pages = []
    for item in channel.findall("item"):
        if wp_child(item, "post_type") not in IMPORTED_TYPES or wp_child(item, "status") != "publish":
            continue
        meta = {
            wp_child(entry, "meta_key"): wp_child(entry, "meta_value")
            for entry in item
            if local_name(entry) == "postmeta"
        }
        title = squash(item.findtext("title") or "")
        body = next((el.text or "" for el in item if local_name(el) == "encoded" and namespace(el) == CONTENT_NS), "")
        page = OldPage(
            old_url=(item.findtext("link") or "").strip() or f"/{wp_child(item, 'post_name')}/",
            title=title,
            body_html=autop(body),
            categories=[squash(el.text or "") for el in item.findall("category") if el.get("domain") == "category"],
            folder=folder,
        )
        page.seo_title = seo_title(next((meta[key] for key in TITLE_KEYS if meta.get(key)), ""), title, page)
        page.seo_description = squash(next((meta[key] for key in DESCRIPTION_KEYS if meta.get(key)), ""))
        if thumbnail := attachments.get(meta.get("_thumbnail_id", "")):
            page.warnings.append(f"Featured image {thumbnail} not imported: add it to the page if it belongs there.")
        pages.append(page)
    return pages


def seo_title(raw, title, page):
    """Yoast's title with its variables filled: %%title%% is the page's title; the site name and
    separator are left out, since the site adds its own name (seo.titles)."""
    if not _YOAST_VARIABLE.search(raw):
        return squash(raw)
    text = _YOAST_VARIABLE.sub(lambda match: title if match.group(1) == "title" else "\x00", raw)
    text = squash(re.sub(r"\s*(\x00\s*)+", " \x00 ", text).strip(" \x00|-–"))
    unknown = [name for name in _YOAST_VARIABLE.findall(raw) if name not in {"title", "sep", "sitename", "page"}]
    if unknown:
        page.warnings.append(f"Title tag variables left out: {', '.join(unknown)}.")
    return squash(re.sub(r"(\s*\x00\s*)+", " ", text))


# --- Saved HTML pages ---------------------------------------------------------------------------


def read_html_folder(folder):
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
    if not files:
        raise ImportFileError(f"No saved pages (.html) in {folder}; nothing was imported.")
    return [read_html_page(path, folder) for path in files]


def read_html_page(path, folder):
    if path.stat().st_size > MAX_PAGE_BYTES:
        raise ImportFileError(f"{path.name} is larger than any saved page should be; nothing was imported.")
    document = parse(path.read_bytes().decode("utf-8", errors="replace"))
    head_value = _head_reader(document)
    content = (
        document.find(lambda node: "entry-content" in node.classes)
        or document.find(lambda node: node.tag == "article")
        or document.find(lambda node: node.tag == "main")
        or document.find(lambda node: node.tag == "body")
        or document
    )
    for unwanted in [node for node in content.iter() if node.tag in {"nav", "header", "footer", "aside"}]:
        unwanted.parent.children.remove(unwanted)
    heading = content.find(lambda node: node.tag == "h1") or document.find(lambda node: node.tag == "h1")
    page_title = document.find(lambda node: node.tag == "title")
    title_tag = page_title.text() if page_title else ""
    title = heading.text() if heading else head_value("og:title") or title_tag.split("|")[0].strip()
    if heading is not None and heading.parent is not None and heading in heading.parent.children:
        heading.parent.children.remove(heading)
    canonical = document.find(lambda node: node.tag == "link" and "canonical" in node.get("rel").split())
    url = (canonical.get("href") if canonical else "") or head_value("og:url") or file_url(path, folder)
    categories = [head_value("article:section")] if head_value("article:section") else []
    categories += [link.text() for link in document.iter("a") if "category" in link.get("rel").split()]
    return OldPage(
        old_url=url,
        title=title,
        body_html=content,
        seo_title=without_site_name(title_tag),
        seo_description=head_value("description") or head_value("og:description"),
        categories=list(dict.fromkeys(categories)),
        folder=folder,
    )


def without_site_name(title_tag):
    """The saved page's title tag without the old site's name, which themes add after a separator
    ("Sciatica Treatment | SC Sports Medicine"): the new site adds its own (seo.titles)."""
    parts = re.split(r"\s[|–—]\s", title_tag)
    return squash(" | ".join(parts[:-1]) if len(parts) > 1 else title_tag)


def _head_reader(document):
    metas = {}
    for node in document.iter("meta"):
        key = node.get("name") or node.get("property")
        if key and key not in metas:
            metas[key] = squash(node.get("content"))
    return lambda key: metas.get(key, "")


def file_url(path, folder):
    """The old address a saved file stood for: "sciatica.html" → "/sciatica/", "knee/index.html" → "/knee/"."""
    relative = path.relative_to(folder).with_suffix("")
    parts = list(relative.parts)
    if parts and parts[-1] == "index":
        parts.pop()
    return "/" + "".join(f"{part}/" for part in parts)
