from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import health
from home.media import media_urlpatterns
from home.security import throttle_password_reset
from home.views import robots_txt
from search import views as search_views

urlpatterns = [
    # Normally answered by home.health.HealthCheckMiddleware before host validation.
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
    path("search/", search_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Uploaded images when they are on this server's disk (home/media.py); in development too, so
    # that what editors see there is what production serves.
    *media_urlpatterns(settings.MEDIA_URL),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "home.views.server_error"
