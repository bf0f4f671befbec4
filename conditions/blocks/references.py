"""The references block: the numbered sources a condition page cites, and the [1] markers citing them.

Editors type [1], [2]… anywhere in the page's text; the body links each marker to its reference
(link_citation_markers). The references are also the page's schema.org `citation`.
"""

import re
from urllib.parse import quote, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import format_html
from wagtail import blocks

from conditions.blocks.shared import GROUP_GENERAL, PREVIEW_TEMPLATE

WEB_SCHEMES = ("http", "https")
DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")
# What editors paste in front of a DOI or PubMed ID; the number itself is what is saved.
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
PMID_PREFIX = re.compile(r"^(?:https?://pubmed\.ncbi\.nlm\.nih\.gov/|pmid:?\s*)", re.IGNORECASE)
PMID_PATTERN = re.compile(r"\d{1,9}")
# Written after the last author when a source lists only the first few; not a name.
ET_AL = {"et al", "et al."}

AUTHOR_KINDS = [("people", "People"), ("organization", "An organization")]


class WebAddressField(forms.URLField):
    """A web address: http or https only, so that a `javascript:` or `data:` link can never be saved."""

    default_validators = [URLValidator(schemes=WEB_SCHEMES)]
    # Django reports any malformed address with the field's "invalid" message.
    default_error_messages = {
        "invalid": "Enter a full web address starting with https://, e.g. https://www.example.org/guide/."
    }

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class WebAddressBlock(blocks.FieldBlock):
    """Wagtail's URLBlock, limited to web addresses (see WebAddressField)."""

    def __init__(self, required=True, help_text=None, max_length=None, **kwargs):
        self.field = WebAddressField(required=required, help_text=help_text, max_length=max_length)
        super().__init__(**kwargs)

    class Meta:
        icon = "link-external"


def web_address(url):
    """The address when it is an http(s) one, else "": whatever the database holds never becomes a script link."""
    url = (url or "").strip()
    try:
        return url if urlsplit(url).scheme.lower() in WEB_SCHEMES else ""
    except ValueError:
        return ""


def valid_doi(doi):
    """The DOI ("10.1056/…") without a doi.org or "doi:" prefix; "" when it is not one."""
    doi = DOI_PREFIX.sub("", (doi or "").strip())
    return doi if DOI_PATTERN.fullmatch(doi) else ""


def valid_pmid(pmid):
    """The PubMed ID's digits, without a "PMID:" or pubmed.ncbi.nlm.nih.gov prefix; "" when it is not one."""
    pmid = PMID_PREFIX.sub("", (pmid or "").strip()).strip("/")
    return pmid if PMID_PATTERN.fullmatch(pmid) else ""


def _sentence(text):
    text = (text or "").strip()
    return text if not text or text.endswith((".", "?", "!")) else f"{text}."


class ReferenceValue(blocks.StructValue):
    """What the template and the structured data show of a reference: only well-formed addresses."""

    def web_address(self):
        return web_address(self.get("url"))

    def valid_doi(self):
        return valid_doi(self.get("doi"))

    def valid_pmid(self):
        return valid_pmid(self.get("pmid"))

    def doi_address(self):
        doi = self.valid_doi()
        return "https://doi.org/" + quote(doi, safe="/:;()._-") if doi else ""

    def pubmed_address(self):
        pmid = self.valid_pmid()
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""

    def authors_sentence(self):
        """The authors as the list shows them, ending with a full stop (once: “et al.” has its own)."""
        return _sentence(self.get("authors"))

    def title_sentence(self):
        return _sentence(self.get("title"))

    def author_names(self):
        authors = (self.get("authors") or "").strip()
        if self.get("author_kind") == "organization":
            return [authors] if authors else []
        names = (name.strip() for name in authors.split(","))
        return [name for name in names if name and name.lower() not in ET_AL]


class ReferenceBlock(blocks.StructBlock):
    """One source the page cites: a journal article, a guideline or a patient-information page."""

    title = blocks.CharBlock(max_length=300, help_text="The title of the article, guideline or page.")
    authors = blocks.CharBlock(
        max_length=500,
        required=False,
        help_text="As the source lists them, separated by commas, e.g. “Smith J, Patel R, et al.”.",
    )
    author_kind = blocks.ChoiceBlock(
        choices=AUTHOR_KINDS,
        default="people",
        label="Authors are",
        help_text="Choose “An organization” when a body such as the AAOS wrote it: its name is then kept whole.",
    )
    published_in = blocks.CharBlock(
        max_length=200,
        required=False,
        label="Journal or publisher",
        help_text="The journal for an article; otherwise the organization that published it.",
    )
    year = blocks.IntegerBlock(min_value=1800, max_value=2100, required=False)
    url = WebAddressBlock(
        required=False, max_length=500, label="Web address", help_text="Where patients can read it, e.g. https://…"
    )
    doi = blocks.CharBlock(
        max_length=200,
        required=False,
        label="DOI",
        help_text="For journal articles, e.g. 10.1056/NEJMoa1234567 (a doi.org link works too).",
    )
    pmid = blocks.CharBlock(
        max_length=100, required=False, label="PubMed ID", help_text="The PMID number, e.g. 31234567."
    )

    class Meta:
        icon = "openquote"
        label = "Reference"
        label_format = "{title}"
        value_class = ReferenceValue
        template = "blocks/reference_block.html"
        description = "A source the page cites: its title, authors, where and when it was published."
        preview_value = {
            "title": "Management of acute low back pain",
            "authors": "Smith J, Patel R",
            "published_in": "Journal of Orthopaedic Care",
            "year": 2021,
        }

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        doi, pmid = (value.get("doi") or "").strip(), (value.get("pmid") or "").strip()
        if doi and not valid_doi(doi):
            errors["doi"] = ValidationError(
                "Enter the DOI as it starts, with “10.”, a number, a slash and the rest, e.g. 10.1056/NEJMoa1234567."
            )
        if pmid and not valid_pmid(pmid):
            errors["pmid"] = ValidationError("Enter the PubMed ID as digits only, e.g. 31234567.")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        # Saved as the bare identifiers, whatever prefix was pasted with them.
        value["doi"], value["pmid"] = valid_doi(doi), valid_pmid(pmid)
        return value

    def citation_node(self, value):
        """The reference as a schema.org ScholarlyArticle (with a DOI or PubMed ID) or CreativeWork."""
        scholarly = bool(value.doi_address() or value.pubmed_address())
        node = {"@type": "ScholarlyArticle" if scholarly else "CreativeWork", "name": value["title"]}
        author_type = "Organization" if value.get("author_kind") == "organization" else "Person"
        authors = value.author_names()
        if authors:
            node["author"] = [{"@type": author_type, "name": name} for name in authors]
        if value.get("published_in"):
            if scholarly:
                node["isPartOf"] = {"@type": "Periodical", "name": value["published_in"]}
            else:
                node["publisher"] = {"@type": "Organization", "name": value["published_in"]}
        if value.get("year"):
            node["datePublished"] = str(value["year"])
        if value.web_address():
            node["url"] = value.web_address()
        same_as = [address for address in (value.doi_address(), value.pubmed_address()) if address]
        if same_as:
            node["sameAs"] = same_as
        identifiers = [
            {"@type": "PropertyValue", "propertyID": name, "value": identifier}
            for name, identifier in (("DOI", value.valid_doi()), ("PMID", value.valid_pmid()))
            if identifier
        ]
        if identifiers:
            node["identifier"] = identifiers
        return node


class ReferencesBlock(blocks.StructBlock):
    """The numbered list of sources the page cites; [1], [2]… in the page's text link to them."""

    # The body leaves this block's own text as it is (ConditionBodyBlock.render_basic).
    lists_citations = True

    heading = blocks.CharBlock(max_length=120, default="References")
    references = blocks.ListBlock(ReferenceBlock(), min_num=1, label="References")

    class Meta:
        icon = "list-ol"
        label = "References"
        label_format = "{heading}: {references}"
        group = GROUP_GENERAL
        template = "blocks/references_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = (
            "Numbered sources at the end of the page. Type [1], [2]… in the page's text to cite them: "
            "each becomes a link to its reference."
        )
        preview_value = {
            "heading": "References",
            "references": [
                {
                    "title": "Management of acute low back pain",
                    "authors": "Smith J, Patel R",
                    "published_in": "Journal of Orthopaedic Care",
                    "year": 2021,
                    "doi": "10.1000/example.2021.15",
                }
            ],
        }

    def page_structured_data(self, value):
        """The page's `citation`: each reference, in order."""
        child = self.child_blocks["references"].child_block
        return {"citation": [child.citation_node(reference) for reference in value["references"]]}


# A marker as editors type it: [1]. Three digits are plenty; a longer number is left as text.
MARKER = re.compile(r"\[(\d{1,3})\]")
# A tag or comment in rendered HTML; a quoted attribute value may hold ">".
TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
# Elements whose text is never turned into a link: a link inside a link is invalid HTML.
NO_MARKERS_IN = {"a", "script", "style", "textarea"}


def _marker_link(match, count):
    number = int(match[1])
    if not 1 <= number <= count:
        return match[0]
    return format_html('<sup class="citation"><a href="#ref-{0}" aria-label="Reference {0}">[{0}]</a></sup>', number)


def link_citation_markers(html, count):
    """Rendered HTML with each [N] in its text (N from 1 to `count`) a superscript link to #ref-N.

    Only text between tags changes, and only by adding fixed markup around the marker: what editors
    typed was escaped before (Django's templates and Wagtail's rich text), so it stays escaped.
    """
    if not count or "[" not in html:
        return html
    out, position, skipping = [], 0, []
    for tag in TAG.finditer(html):
        out.append(_link_text(html[position : tag.start()], count, skipping))
        out.append(tag[0])
        position = tag.end()
        name = (tag[2] or "").lower()
        if name in NO_MARKERS_IN and not tag[0].endswith("/>"):
            if not tag[1]:
                skipping.append(name)
            elif name in skipping:
                skipping.remove(name)
    out.append(_link_text(html[position:], count, skipping))
    return "".join(out)


def _link_text(text, count, skipping):
    if skipping or "[" not in text:
        return text
    return MARKER.sub(lambda match: _marker_link(match, count), text)
