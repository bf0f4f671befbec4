"""The practice's old site, built for the import tests: its WordPress export (WXR) and its pages saved
as HTML, from the seed page's text (demo/fixtures) and two more pages written the same way."""

from html import escape
from pathlib import Path

from wagtail.images.tests.utils import get_test_image_file

from demo.seed import read_seed

OLD_HOST = "https://www.scsportsmed.example"
SEED_OLD_PATH = "/sciatica-treatment-charleston-sc/"
ROTATOR_OLD_PATH = "/rotator-cuff-tear-charleston-sc/"
PLANTAR_OLD_PATH = "/plantar-fasciitis-treatment/"
PRESENT_IMAGE = "/wp-content/uploads/2019/04/rotator-cuff.png"
MISSING_IMAGE = "/wp-content/uploads/2019/05/heel-pain.jpg"


def seed_html():
    """The seed page as the old WordPress post body: paragraphs separated by blank lines (no <p>),
    headings and a list of "Name – explanation" causes."""
    seed = read_seed()
    parts = list(seed.intro)
    for section in seed.sections:
        parts.append(f"<h2>{section.heading}</h2>")
        parts += section.paragraphs
        if section.bullets:
            items = "".join(f"\n<li>{name} – {explanation}</li>" for name, explanation in section.bullets)
            parts.append(f"<ul>{items}\n</ul>")
    return "\n\n".join(parts)


ROTATOR_HTML = f"""<p>A rotator cuff tear is a tear in the group of muscles and tendons that hold the shoulder joint in place. It can make lifting your arm painful and weak.</p>
<p>Like <a href="http://scsportsmed.example{SEED_OLD_PATH}">back spasms</a>, shoulder pain is something our Charleston team treats every day.</p>
<p><img src="{OLD_HOST}{PRESENT_IMAGE}" alt="A torn rotator cuff tendon" width="600" height="400"></p>
<h2>What Causes a Rotator Cuff Tear?</h2>
<p>Tears come from sudden injury or from wear over the years:</p>
<ul>
<li><strong>Falls</strong> Landing on an outstretched arm can tear the tendon at once.</li>
<li><strong>Repetitive lifting:</strong> Painters, carpenters and tennis players wear the tendon down over time.</li>
<li>Bone spurs: A spur on the shoulder blade can rub the tendon until it frays.</li>
</ul>
<h2>Complications</h2>
<p>Left alone, a tear can grow larger.</p>
<ul><li>Shoulder stiffness</li><li>Loss of strength when lifting</li></ul>
<h2>Treatment Options</h2>
<p>Most tears are treated without an operation at first.</p>
<ul>
<li>Physical therapy – Exercises restore strength and movement in the shoulder.</li>
<li>Steroid injection – An injection can ease pain that keeps you awake at night.</li>
<li>Arthroscopic repair – Surgery reattaches the tendon when other care has not helped.</li>
</ul>
<h2>Frequently Asked Questions</h2>
<h3>Will a rotator cuff tear heal on its own?</h3>
<p>A small tear may stop hurting, but a torn tendon does not grow back to the bone by itself.</p>
<h3>How long is recovery after surgery?</h3>
<p>Most patients wear a sling for about six weeks and recover fully within six months.</p>
<p>Call our Charleston office to schedule an appointment with a shoulder specialist.</p>"""  # noqa: E501

PLANTAR_HTML = f"""<p>Plantar fasciitis is inflammation of the thick band of tissue along the bottom of the foot. It is the most common cause of heel pain.</p>
<p><img src="{MISSING_IMAGE}" alt="Where plantar fasciitis hurts"></p>
<h2>Common Causes</h2>
<ul>
<li>Running - Long runs on hard surfaces strain the plantar fascia.</li>
<li>Worn-out shoes - Shoes without arch support let the foot flatten with each step.</li>
</ul>
<h2>Living With Plantar Fasciitis</h2>
<p>Stretch your calves every morning before you stand. Read more about <a href="{ROTATOR_OLD_PATH}">rotator cuff tears</a> if your shoulder hurts too.</p>
<h2>Getting Treatment</h2>
<p><strong>Night splints</strong> keep the foot flexed while you sleep.</p>
<p><strong>Custom orthotics</strong> support the arch and spread the load.</p>
<p>Contact us to find out which treatment suits you.</p>"""  # noqa: E501

PAGES = [
    {
        "title": "Sciatica / Back Spasms",
        "path": SEED_OLD_PATH,
        "body": seed_html,
        "seo_title": "Sciatica Treatment Charleston SC %%sep%% %%sitename%%",
        "description": "Back spasms and sciatica treated in Charleston, SC.",
        "categories": ["Spine", "Conditions"],
    },
    {
        "title": "Rotator Cuff Tear",
        "path": ROTATOR_OLD_PATH,
        "body": lambda: ROTATOR_HTML,
        "seo_title": "Rotator Cuff Tear Treatment in Charleston",
        "description": "Rotator cuff tears: causes, complications and treatment in Charleston, SC.",
        "categories": ["Shoulder"],
    },
    {
        "title": "Plantar Fasciitis",
        "path": PLANTAR_OLD_PATH,
        "body": lambda: PLANTAR_HTML,
        "seo_title": "",
        "description": "Heel pain from plantar fasciitis, treated in Charleston.",
        "categories": ["Foot & Ankle"],
    },
]


def wxr_item(page, post_id):
    categories = "".join(
        f'<category domain="category" nicename="{escape(name.lower())}"><![CDATA[{name}]]></category>'
        for name in page["categories"]
    )
    meta = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in (("_yoast_wpseo_title", page["seo_title"]), ("_yoast_wpseo_metadesc", page["description"]))
        if value
    )
    return f"""
<item>
  <title>{escape(page["title"])}</title>
  <link>{OLD_HOST}{page["path"]}</link>
  <content:encoded><![CDATA[{page["body"]()}]]></content:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_name>{page["path"].strip("/")}</wp:post_name>
  <wp:status>publish</wp:status>
  <wp:post_type>page</wp:post_type>
  {categories}{meta}
</item>"""


def wxr(pages=PAGES, extra_items=""):
    items = "".join(wxr_item(page, 100 + number) for number, page in enumerate(pages))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>SC Sports Medicine</title>
  <link>{OLD_HOST}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item><title>Draft post</title><link>{OLD_HOST}/?p=7</link><wp:post_id>7</wp:post_id>
    <wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
  {items}{extra_items}
</channel>
</rss>"""


def add_images(folder):
    image = folder / PRESENT_IMAGE.lstrip("/")
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(get_test_image_file(filename="rotator-cuff.png").file.getvalue())


def write_wxr(folder, **kwargs):
    """The export, with the uploads folder beside it holding one of the two images."""
    folder = Path(folder)
    add_images(folder)
    path = folder / "scsportsmed.WordPress.2026-11-30.xml"
    path.write_text(wxr(**kwargs), encoding="utf-8")
    return path


def saved_page(page, address="canonical"):
    """The page as a browser saves it: the theme's header, menu and footer around the post."""
    url = f"{OLD_HOST}{page['path']}"
    head = {
        "canonical": f'<link rel="canonical" href="{url}">',
        "og:url": f'<meta property="og:url" content="{url}">',
        "file name": "",
    }[address]
    body = page["body"]()
    if "<p>" not in body:
        body = "".join(f"<p>{part}</p>" if not part.startswith("<") else part for part in body.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(page["seo_title"].split("%%")[0].strip() or page["title"])} | SC Sports Medicine</title>
<meta name="description" content="{escape(page["description"])}">{head}
<meta property="article:section" content="{escape(page["categories"][0])}">
<script>var tracking = "not content";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/contact/">Contact the practice today</a></nav></header>
<main><article><h1 class="entry-title">{escape(page["title"])}</h1>
<div class="entry-content">{body}</div></article></main>
<footer><p>© 2019 SC Sports Medicine. All rights reserved.</p></footer>
</body></html>"""


def write_html_folder(folder):
    """The three pages saved as files: found by canonical link, og:url and file name."""
    folder = Path(folder)
    add_images(folder)
    for page, address in zip(PAGES, ["canonical", "og:url", "file name"], strict=True):
        (folder / f"{page['path'].strip('/')}.html").write_text(saved_page(page, address), encoding="utf-8")
    return folder


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol4;</title></item></channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&secret;</title>
<wp:post_type>page</wp:post_type><wp:status>publish</wp:status></item></channel></rss>"""
