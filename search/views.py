from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("query", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.live().public().specific().search(query) if query else Page.objects.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"search_query": query, "search_results": page})
