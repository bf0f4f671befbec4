from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from ops import health
from ops.media import media_urlpatterns
from ops.security import throttle_password_reset
from search import views as search_views
from seo import indexnow
from seo.sitemap import TranslatedSitemap
from seo.views import robots_txt

urlpatterns = [
    # Normally answered by ops.health.HealthCheckMiddleware before host validation.
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    # Wagtail's own view, rate-limited; listed before Wagtail's admin URLs so that it answers instead.
    path(
        "admin/password_reset/",
        throttle_password_reset(PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("<str:key>.txt", indexnow.key_file, name="indexnow_key"),
    # Uploaded images when they are on this server's disk (ops/media.py); in development too, so
    # that what editors see there is what production serves.
    *media_urlpatterns(settings.MEDIA_URL),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Pages and the search in English at their usual addresses and in Spanish under /es/ ("buscar/" is
# the translation of "search/"). Sitemap, robots, health checks and the admin stay outside.
# Wrapped in a resolver of their own so that another URLconf may still include this one (Django
# refuses to include one whose top level holds i18n_patterns); the language is read from the path
# by home.i18n.PathLanguageMiddleware, which needs no i18n_patterns at the top.
urlpatterns += [
    URLResolver(
        RoutePattern(""),
        i18n_patterns(
            path(_("search/"), search_views.search, name="search"),
            path("", include(wagtail_urls)),
            prefix_default_language=False,
        ),
    )
]

handler500 = "home.views.server_error"
