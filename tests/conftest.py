import pytest
from django.core.cache import cache

from pagecache import redis as cache_client
from pagecache import store as page_cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches settings and site root paths; each test starts clean, with the cache servers'
    # breakers closed and no missed page-cache change remembered by this process.
    cache.clear()
    cache_client.reset_breakers()
    page_cache.forget_missed_changes()
    yield
    cache.clear()
    cache_client.reset_breakers()
    page_cache.forget_missed_changes()
