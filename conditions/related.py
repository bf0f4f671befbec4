"""Body areas, and the related conditions a condition page lists: those its editors chose first,
then others in the same body area, then others linking to the same treatment page."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Q, QuerySet, When
from django.utils.translation import gettext_noop
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

BODY_AREAS = [
    ("spine", gettext_noop("Spine and back")),
    ("neck", gettext_noop("Neck")),
    ("shoulder", gettext_noop("Shoulder")),
    ("elbow", gettext_noop("Elbow")),
    ("hand-wrist", gettext_noop("Hand and wrist")),
    ("hip", gettext_noop("Hip")),
    ("knee", gettext_noop("Knee")),
    ("foot-ankle", gettext_noop("Foot and ankle")),
    ("sports", gettext_noop("Sports injuries")),
]
RELATED_LIMIT = 4
# Where a Treatment block's option links to its treatment page, as Wagtail's reference index names it.
TREATMENT_LINK_PATH = "body.treatment.options.item.treatment_page"


def option_values(block_data):
    """The treatment options of a Treatment block's stored value (ListBlock items, either format)."""
    for item in block_data.get("options") or []:
        yield item.get("value", item) if isinstance(item, dict) and item.get("type") == "item" else item


def linked_treatment_ids(body):
    """The treatment pages a page's Treatment block links to, read from its stored body."""
    ids = set()
    for block in body.raw_data:
        if block.get("type") == "treatment":
            ids.update(option.get("treatment_page") for option in option_values(block.get("value") or {}))
    return {page_id for page_id in ids if isinstance(page_id, int)}


def pages_linking_to(model, treatment_ids):
    """The ids of `model` pages whose saved content links to any of the treatment pages.

    Wagtail's reference index records the page's own row, which is its live content once published.
    """
    if not treatment_ids:
        return []
    # The index names the page linked to by its base type (Page), the linking page by its own.
    return ReferenceIndex.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        to_content_type=ContentType.objects.get_for_model(Page),
        to_object_id__in=[str(page_id) for page_id in treatment_ids],
        model_path=TREATMENT_LINK_PATH,
    ).values_list("object_id", flat=True)


def sharing_an_area(areas):
    """A filter for condition pages tagged with any of `areas`."""
    wanted = Q(pk__in=[])
    for area in areas:
        # Stored as comma-separated keys (home.fields.ChoiceListField): match whole keys only.
        wanted |= Q(body_areas=area) | Q(body_areas__startswith=f"{area},") | Q(body_areas__endswith=f",{area}")
        wanted |= Q(body_areas__contains=f",{area},")
    return wanted


def previously_published(page):
    """The page as it was published before its live version, or None."""
    revision_id = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .exclude(revision_id=page.live_revision_id)
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
    return revision.as_object() if revision else None


def pages_listing_as_related(page):
    """The condition pages that may list `page` among their related conditions (for the page cache):
    those it shares a body area or a treatment with, now or as it was published before, and those
    that chose it."""
    model = type(page)
    versions = [page, *filter(None, [previously_published(page)])]
    areas = {area for version in versions for area in version.body_areas}
    wanted = sharing_an_area(areas) | Q(related_conditions_chosen=page)
    treatments = set().union(*(linked_treatment_ids(version.body) for version in versions))
    if treatments:
        wanted |= Q(pk__in=[int(object_id) for object_id in pages_linking_to(model, treatments)])
    return list(model.objects.live().exclude(pk=page.pk).filter(wanted).distinct())


def related_conditions(page, limit=RELATED_LIMIT):
    """Live, public condition pages related to `page`, the editors' choices first (by title)."""
    model = type(page)
    chosen = page.related_conditions_chosen.all()
    if isinstance(chosen, QuerySet):
        # Saved choices: read in the same query as the candidates.
        chosen = chosen.values("pk")
    else:
        # A preview's choices, held in memory.
        chosen = [condition.pk for condition in chosen]
    areas = page.body_areas
    treatments = linked_treatment_ids(page.body)
    wanted = Q(pk__in=chosen) | sharing_an_area(areas)
    shared_treatment = set()
    if treatments:
        shared_treatment = {int(object_id) for object_id in pages_linking_to(model, treatments)}
        wanted |= Q(pk__in=shared_treatment)
    candidates = (
        model.objects.live()
        .public()
        # In the page's own language.
        .filter(locale_id=page.locale_id)
        .exclude(pk=page.pk)
        .filter(wanted)
        .annotate(is_chosen=Case(When(pk__in=chosen, then=True), default=False, output_field=BooleanField()))
        .only("title", "summary", "url_path", "body_areas")
    )

    def rank(candidate):
        if candidate.is_chosen:
            return (0, 0, candidate.title)
        shares_area = bool(set(candidate.body_areas) & set(areas))
        return (1 if shares_area else 2, 0 if candidate.pk in shared_treatment else 1, candidate.title)

    return sorted(candidates, key=rank)[:limit]
