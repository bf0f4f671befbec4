"""The demo's treatment pages: /treatments/ and three treatments, written for the demo in plain words.

Idempotent like the rest of load_demo_content: a page that already exists (by its slug) is left
exactly as it is, so editors' changes survive a rerun.
"""

from treatments.models import TreatmentIndexPage, TreatmentPage

INDEX = {
    "slug": "treatments",
    "title": "Treatments We Offer",
    "intro": "Plain-language guides to the treatments our specialists use, from physical therapy to surgery.",
    "show_in_menus": True,
}

TREATMENTS = [
    {
        "slug": "physical-therapy",
        "title": "Physical therapy",
        "kind": "physical_therapy",
        "summary": (
            "Physical therapy uses guided exercise, hands-on treatment and advice to ease pain and help you "
            "move, get stronger and get back to your usual activities."
        ),
        "what_it_is": (
            "<p>Physical therapy is treatment with a licensed physical therapist, who works with you on how "
            "your body moves: your strength, flexibility, balance and posture. It treats the cause of many "
            "aches and injuries rather than only the pain.</p>"
        ),
        "who_it_helps": (
            "<p>It helps people with back or neck pain, sciatica, sprains and strains, sports injuries and "
            "arthritis, and people recovering from surgery such as a joint replacement or a spine operation. "
            "For most back pain it is one of the first treatments to try.</p>"
        ),
        "how_it_works": (
            "<p>At your first visit the therapist asks about your pain and your daily life and checks how you "
            "move. Together you agree a plan, which usually includes:</p>"
            "<ul><li>exercises to strengthen and stretch the muscles around the painful area</li>"
            "<li>hands-on treatment to loosen stiff joints and tight muscles</li>"
            "<li>advice on posture, lifting and staying active at work and at home</li>"
            "<li>a short set of exercises to do at home between visits</li></ul>"
        ),
        "recovery": (
            "<p>Many people come once or twice a week for four to eight weeks and notice a difference within "
            "the first few weeks. Keeping up your home exercises after the last visit helps stop the problem "
            "from coming back.</p>"
        ),
        "risks": (
            "<p>Physical therapy is very safe. Your muscles may feel sore for a day or two after a new "
            "exercise, as after any workout. Tell your therapist if an exercise causes sharp pain, or if "
            "numbness or weakness gets worse.</p>"
        ),
    },
    {
        "slug": "epidural-steroid-injection",
        "title": "Epidural steroid injection",
        "kind": "procedure",
        "summary": (
            "An epidural steroid injection puts anti-inflammatory medicine next to irritated spinal nerves to "
            "ease pain in the back, neck, arm or leg."
        ),
        "what_it_is": (
            "<p>An epidural steroid injection is a shot of a corticosteroid, a strong anti-inflammatory "
            "medicine, usually mixed with a numbing medicine. It goes into the epidural space, the area around "
            "the spinal nerves, to calm nerves that are swollen and irritated.</p>"
            "<p>It does not repair the cause, such as a bulging disc, but it can ease the pain enough for you "
            "to move more and make progress with physical therapy.</p>"
        ),
        "who_it_helps": (
            "<p>It is most often used for pain that spreads from the spine into an arm or a leg, such as "
            "sciatica from a herniated disc or from spinal stenosis, when rest, medication and physical "
            "therapy have not helped enough.</p>"
        ),
        "how_it_works": (
            "<p>The injection is done as an outpatient and takes about 15 to 30 minutes. You lie on your "
            "stomach, the skin is cleaned and numbed, and the doctor uses a live X-ray picture to guide a thin "
            "needle to the right spot before injecting the medicine. You go home the same day.</p>"
        ),
        "recovery": (
            "<p>Have someone drive you home and take it easy for the rest of the day; most people are back to "
            "their usual activities the next day. The steroid usually starts to work within two to seven days. "
            "How much it helps, and for how long, varies: for some people the relief lasts weeks, for others "
            "several months.</p>"
        ),
        "risks": (
            "<p>Serious problems are rare. Some people have soreness where the needle went in, a headache, a "
            "flushed face, trouble sleeping or a few days of higher blood sugar, which matters if you have "
            "diabetes. Infection, bleeding and nerve injury are rare. Tell your doctor beforehand if you take "
            "blood thinners, have diabetes or might be pregnant.</p>"
        ),
    },
    {
        "slug": "microdiscectomy",
        "title": "Microdiscectomy",
        "kind": "surgery",
        "summary": (
            "Microdiscectomy is spine surgery through a small cut that removes the part of a herniated disc "
            "pressing on a nerve, to relieve sciatica and leg pain."
        ),
        "what_it_is": (
            "<p>A microdiscectomy is an operation on the lower back. Through a small cut, the surgeon removes "
            "the piece of a herniated (slipped) disc that is pressing on a spinal nerve. A microscope or "
            "magnifying lenses let the surgeon work through a small opening and disturb the back muscles as "
            "little as possible.</p>"
        ),
        "who_it_helps": (
            "<p>It is for people whose leg pain from a herniated disc has not improved after several weeks of "
            "treatment without surgery, such as physical therapy and injections. It may be advised sooner if "
            "the leg is getting weak or numb. It relieves leg pain more reliably than back pain.</p>"
        ),
        "how_it_works": (
            "<p>You are asleep under general anesthesia. The surgeon makes a cut about an inch long in the "
            "middle of the lower back, moves the muscles gently aside and, if needed, removes a little bone or "
            "ligament to reach the nerve. The loose piece of disc is then taken out, freeing the nerve. The "
            "operation usually takes about an hour, and most people go home the same day or the next.</p>"
        ),
        "recovery": (
            "<p>Leg pain often eases soon after the operation, and you will be encouraged to walk on the first "
            "day. For the first few weeks, avoid heavy lifting, bending and twisting. Many people go back to a "
            "desk job within one to two weeks and to heavier work after six to eight weeks. Physical therapy "
            "afterwards helps strengthen the back.</p>"
        ),
        "risks": (
            "<p>As with any operation there is a small risk of infection, bleeding and a reaction to the "
            "anesthetic. Less common risks are a tear in the covering of the nerves, which can leak spinal "
            "fluid, and injury to a nerve. In some people the same disc herniates again later, which may need "
            "more treatment.</p>"
        ),
    },
]


def ensure_treatments(home, created):
    """/treatments/ and its three treatment pages, published, each created only if absent.

    Appends a line to `created` for each page it creates; returns the pages by slug, the index
    under "treatments".
    """
    index = _ensure_child(home, TreatmentIndexPage, created, **INDEX)
    pages = {"treatments": index}
    for fields in TREATMENTS:
        pages[fields["slug"]] = _ensure_child(index, TreatmentPage, created, **fields)
    return pages


def _ensure_child(parent, model, created, slug, **fields):
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    created.append(f"{model._meta.verbose_name} {page.url_path}")
    return page
