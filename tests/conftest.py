import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches settings and site root paths; each test starts clean.
    cache.clear()
    yield
    cache.clear()
